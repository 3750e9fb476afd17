namespace P2PShare.Deployment.Tests;

/// <summary>
/// The Kubernetes objects of k8s/: rendered by kustomize when kubectl is there, else the files the kustomization
/// lists, read as they are (everything but the namespace is the same either way).
/// </summary>
internal sealed class Manifests
{
    public Manifests()
    {
        string? rendered = Kustomize.Render(out _);
        var kustomization = Yaml.Documents(RepoFiles.Read("k8s/kustomization.yaml")).Single();
        Namespace = Yaml.Text(kustomization, "namespace");
        Objects = rendered is not null
            ? Yaml.Documents(rendered)
            : [.. ((List<object>)Yaml.At(kustomization, "resources")!).Cast<string>().SelectMany(file => Yaml.Documents(RepoFiles.Read("k8s/" + file)))];
    }

    public string? Namespace { get; }

    public List<Dictionary<object, object>> Objects { get; }

    public IEnumerable<Dictionary<object, object>> OfKind(string kind) => Objects.Where(o => Yaml.Text(o, "kind") == kind);

    public Dictionary<object, object> Get(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => Yaml.Text(o, "metadata.name") == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name} in k8s/");

    /// <summary>Deployments and StatefulSets with the program their container runs (by image name).</summary>
    public IEnumerable<Workload> Workloads() =>
        OfKind("Deployment").Concat(OfKind("StatefulSet")).Select(o => new Workload(o, this));
}

/// <summary>A Deployment or StatefulSet with one container running the tracker or a peer.</summary>
internal sealed class Workload(Dictionary<object, object> obj, Manifests all)
{
    public Dictionary<object, object> Object { get; } = obj;

    public string Name => Yaml.Text(Object, "metadata.name")!;

    public Dictionary<object, object> PodSpec => (Dictionary<object, object>)Yaml.At(Object, "spec.template.spec")!;

    public Dictionary<object, object> Container => Yaml.Maps(PodSpec, "containers").Single();

    public ProgramSettings Program => Yaml.Text(Container, "image")!.Contains("p2p-tracker", StringComparison.Ordinal)
        ? ProgramSettings.Tracker
        : ProgramSettings.Peer;

    /// <summary>Every environment variable the container gets, with its value where it is a plain one.</summary>
    public Dictionary<string, string?> Env()
    {
        var env = new Dictionary<string, string?>();
        foreach (var source in Yaml.Maps(Container, "envFrom"))
        {
            string? configMap = Yaml.Text(source, "configMapRef.name");
            Assert.True(configMap is not null, $"{Name}: envFrom only from ConfigMaps is supported by this check");
            foreach (var (key, value) in Yaml.StringMap(all.Get("ConfigMap", configMap), "data"))
            {
                env[key] = value;
            }
        }

        foreach (var variable in Yaml.Maps(Container, "env"))
        {
            env[Yaml.Text(variable, "name")!] = Yaml.Text(variable, "value");
        }

        return env;
    }

    /// <summary>The container's ports as (name, number, protocol).</summary>
    public List<(string Name, int Port, string Protocol)> Ports() =>
        [.. Yaml.Maps(Container, "ports").Select(p => (Yaml.Text(p, "name")!, int.Parse(Yaml.Text(p, "containerPort")!, System.Globalization.CultureInfo.InvariantCulture), Yaml.Text(p, "protocol") ?? "TCP"))];
}
