namespace P2PShare.Deployment.Tests;

/// <summary><c>kubectl kustomize k8s/</c> renders every object of the deployment into the p2p-system namespace.</summary>
public sealed class KustomizeRenderTests
{
    [Fact]
    public void Kustomize_renders_every_object_into_the_namespace()
    {
        string? rendered = Kustomize.Render(out string? skipReason);
        if (rendered is null)
        {
            Assert.Skip(skipReason!);
        }

        var objects = Yaml.Documents(rendered);
        string[] kinds = [.. objects.Select(o => $"{Yaml.Text(o, "kind")}/{Yaml.Text(o, "metadata.name")}").Order()];
        Assert.Equal(
            ["ConfigMap/tracker-config", "Deployment/tracker", "Ingress/tracker", "Namespace/p2p-system", "PersistentVolumeClaim/tracker-data",
             "Service/peer", "Service/tracker", "Service/tracker-rendezvous", "StatefulSet/peer"],
            kinds);
        foreach (var obj in objects.Where(o => Yaml.Text(o, "kind") != "Namespace"))
        {
            Assert.Equal("p2p-system", Yaml.Text(obj, "metadata.namespace"));
        }
    }

    [Fact]
    public void Every_manifest_file_is_in_the_kustomization()
    {
        var kustomization = Yaml.Documents(RepoFiles.Read("k8s/kustomization.yaml")).Single();
        var listed = ((List<object>)Yaml.At(kustomization, "resources")!).Cast<string>().Order();
        var files = Directory.EnumerateFiles(RepoFiles.PathOf("k8s"), "*.yaml").Select(Path.GetFileName)
            .Where(name => name != "kustomization.yaml").Order();
        Assert.Equal(files, listed);
        Assert.Equal("p2p-system", Yaml.Text(kustomization, "namespace"));
    }
}
