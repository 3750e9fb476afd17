namespace P2PShare.Deployment.Tests;

/// <summary>
/// k8s/ against the programs: every variable, port, probe path and volume path the manifests name is one the
/// tracker or the peer really uses, and the objects refer to each other by names and ports that exist.
/// </summary>
public sealed class ManifestCrossCheckTests
{
    private readonly Manifests _manifests = new();

    [Fact]
    public void Every_variable_is_read_by_its_program_and_documented()
    {
        foreach (var workload in _manifests.Workloads())
        {
            foreach (string variable in workload.Env().Keys.Where(name => !ProgramSettings.IsRuntimeVariable(name)))
            {
                Assert.True(workload.Program.ReadsVariable(variable), $"{workload.Name} sets {variable}, which the {workload.Program.Name} never reads");
                Assert.True(workload.Program.DocumentsVariable(variable), $"{workload.Name} sets {variable}, which README.md does not document");
            }
        }
    }

    [Fact]
    public void Ports_are_the_ones_the_programs_listen_on()
    {
        var tracker = Workload("tracker");
        int httpPort = PortOf(tracker.Env()["TRACKER_ADDR"]!);
        Assert.Contains(("http", httpPort, "TCP"), tracker.Ports());
        Assert.Contains(("rendezvous", httpPort, "UDP"), tracker.Ports()); // the rendezvous is the HTTP port number over UDP
        Assert.Contains(("rendezvous-alt", httpPort + 1, "UDP"), tracker.Ports()); // and its second port the next one

        var peer = Workload("peer");
        int peerPort = int.Parse(peer.Env()["PEER_PORT"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(("p2p", peerPort, "TCP"), peer.Ports());
        Assert.Contains(("p2p-udp", peerPort, "UDP"), peer.Ports());
    }

    [Fact]
    public void Services_select_pods_and_target_ports_that_exist()
    {
        foreach (var service in _manifests.OfKind("Service"))
        {
            var selector = Yaml.StringMap(service, "spec.selector");
            var targets = _manifests.Workloads()
                .Where(w => selector.All(pair => Yaml.StringMap(w.Object, "spec.template.metadata.labels").GetValueOrDefault(pair.Key) == pair.Value))
                .ToList();
            string name = Yaml.Text(service, "metadata.name")!;
            Assert.True(targets.Count == 1, $"Service {name} selects {targets.Count} workloads");
            foreach (var port in Yaml.Maps(service, "spec.ports"))
            {
                string target = Yaml.Text(port, "targetPort")!;
                string protocol = Yaml.Text(port, "protocol") ?? "TCP";
                Assert.True(targets[0].Ports().Any(p => p.Name == target && p.Protocol == protocol), $"Service {name}: no {protocol} port named {target} in {targets[0].Name}");
            }
        }
    }

    [Fact]
    public void Peers_reach_the_tracker_service_and_the_statefulset_has_its_headless_service()
    {
        var url = new Uri(Workload("peer").Env()["TRACKER_URL"]!);
        var service = _manifests.Get("Service", url.Host);
        Assert.Contains(Yaml.Maps(service, "spec.ports"), p => Yaml.Text(p, "port") == url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var peers = _manifests.Get("StatefulSet", "peer");
        var headless = _manifests.Get("Service", Yaml.Text(peers, "spec.serviceName")!);
        Assert.Equal("None", Yaml.Text(headless, "spec.clusterIP"));
        Assert.Single(Yaml.Maps(peers, "spec.volumeClaimTemplates"));
    }

    [Fact]
    public void Probe_and_ingress_paths_are_served_by_the_tracker()
    {
        var tracker = Workload("tracker");
        foreach (string probe in new[] { "readinessProbe", "livenessProbe" })
        {
            string? path = Yaml.Text(tracker.Container, $"{probe}.httpGet.path");
            Assert.Equal("/health", path);
            Assert.True(ProgramSettings.Tracker.KnowsPath(path!), $"the tracker serves no {path}");
            Assert.Contains(tracker.Ports(), p => p.Name == Yaml.Text(tracker.Container, $"{probe}.httpGet.port"));
        }

        var ingress = _manifests.Get("Ingress", "tracker");
        var paths = Yaml.Maps(Yaml.Maps(ingress, "spec.rules").Single(), "http.paths");
        foreach (var path in paths)
        {
            string value = Yaml.Text(path, "path")!;
            Assert.True(value == "/" || ProgramSettings.Tracker.KnowsPath(value), $"the Ingress routes {value}, which the tracker does not know");
            var backend = _manifests.Get("Service", Yaml.Text(path, "backend.service.name")!);
            Assert.Contains(Yaml.Maps(backend, "spec.ports"), p => Yaml.Text(p, "name") == Yaml.Text(path, "backend.service.port.name"));
        }

        Assert.Contains(paths, p => Yaml.Text(p, "path") == "/ws");
        Assert.Contains(paths, p => Yaml.Text(p, "path") == "/relay");
        Assert.Equal("3600", ReadTimeout(ingress)); // WebSockets stay open past nginx's 60 s default
    }

    [Fact]
    public void Volumes_are_where_the_programs_keep_state_and_temporary_files()
    {
        foreach (var workload in _manifests.Workloads())
        {
            var env = workload.Env();
            string stateDir = workload.Program == ProgramSettings.Tracker
                ? Path.GetDirectoryName(env["TRACKER_KEY_FILE"])!
                : env["DATA_DIR"]!;
            var mounts = Yaml.Maps(workload.Container, "volumeMounts").ToDictionary(m => Yaml.Text(m, "mountPath")!, m => Yaml.Text(m, "name")!);
            Assert.Equal(new[] { "/tmp", stateDir }.Order(), mounts.Keys.Order());
            var volumes = Yaml.Maps(workload.PodSpec, "volumes").Concat(Yaml.Maps(workload.Object, "spec.volumeClaimTemplates"))
                .Select(v => Yaml.Text(v, "name") ?? Yaml.Text(v, "metadata.name")).ToList();
            Assert.All(mounts.Values, name => Assert.Contains(name, volumes));
        }
    }

    [Fact]
    public void The_tracker_runs_as_exactly_one_replica()
    {
        var tracker = _manifests.Get("Deployment", "tracker");
        Assert.Equal("1", Yaml.Text(tracker, "spec.replicas"));
        Assert.Equal("Recreate", Yaml.Text(tracker, "spec.strategy.type"));
        Assert.Empty(_manifests.OfKind("HorizontalPodAutoscaler"));
        Assert.Contains("ONE replica", RepoFiles.Read("k8s/tracker-deployment.yaml"), StringComparison.Ordinal);
        Assert.Contains("single replica", RepoFiles.Read("docs/deployment.md"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Containers_run_as_the_images_non_root_user_on_a_read_only_root()
    {
        foreach (var workload in _manifests.Workloads())
        {
            var image = new Dockerfile($"docker/{workload.Program.Name}.Dockerfile");
            Assert.Equal("true", Yaml.Text(workload.PodSpec, "securityContext.runAsNonRoot"));
            Assert.Equal(image.User, $"{Yaml.Text(workload.PodSpec, "securityContext.runAsUser")}:{Yaml.Text(workload.PodSpec, "securityContext.runAsGroup")}");
            Assert.Equal("true", Yaml.Text(workload.Container, "securityContext.readOnlyRootFilesystem"));
            Assert.Equal("false", Yaml.Text(workload.Container, "securityContext.allowPrivilegeEscalation"));
            Assert.NotNull(Yaml.Text(workload.Container, "resources.requests.memory"));
            Assert.NotNull(Yaml.Text(workload.Container, "resources.limits.memory"));
        }
    }

    [Fact]
    public void Api_keys_come_from_a_secret()
    {
        string? trackerSecret = SecretOf(Workload("tracker"), "API_KEYS");
        string? peerSecret = SecretOf(Workload("peer"), "API_KEY");
        Assert.NotNull(trackerSecret);
        Assert.Equal(trackerSecret, peerSecret);
    }

    private static string? ReadTimeout(Dictionary<object, object> ingress) =>
        Yaml.StringMap(ingress, "metadata.annotations").GetValueOrDefault("nginx.ingress.kubernetes.io/proxy-read-timeout");

    private static string? SecretOf(Workload workload, string variable) =>
        Yaml.Maps(workload.Container, "env").Where(e => Yaml.Text(e, "name") == variable)
            .Select(e => Yaml.Text(e, "valueFrom.secretKeyRef.name")).SingleOrDefault();

    private static int PortOf(string listenAddress) =>
        int.Parse(listenAddress[(listenAddress.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private Workload Workload(string name) => _manifests.Workloads().Single(w => w.Name == name);
}
