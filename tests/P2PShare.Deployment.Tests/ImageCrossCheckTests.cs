namespace P2PShare.Deployment.Tests;

/// <summary>docker/*.Dockerfile and compose.yaml against the programs and each other.</summary>
public sealed class ImageCrossCheckTests
{
    public static TheoryData<string> Programs => ["tracker", "peer"];

    [Theory]
    [MemberData(nameof(Programs))]
    public void Every_variable_of_the_image_is_read_by_its_program_and_documented(string name)
    {
        var program = ProgramOf(name);
        var image = new Dockerfile($"docker/{name}.Dockerfile");
        foreach (string variable in image.Env.Keys.Concat(image.HealthcheckVariables).Where(v => !ProgramSettings.IsRuntimeVariable(v)))
        {
            Assert.True(program.ReadsVariable(variable), $"{image.Path} names {variable}, which the {name} never reads");
            Assert.True(program.DocumentsVariable(variable), $"{image.Path} names {variable}, which README.md does not document");
        }
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void The_image_exposes_its_port_on_tcp_and_udp_and_keeps_state_in_its_volume(string name)
    {
        var image = new Dockerfile($"docker/{name}.Dockerfile");
        string port = name == "tracker" ? image.Env["TRACKER_ADDR"].Split(':')[^1] : image.Env["PEER_PORT"];
        // The tracker's second rendezvous port is the next number over UDP (docs/protocol.md §5).
        string[] expose = name == "tracker" ? [$"{port}/tcp", $"{port}/udp", $"{int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) + 1}/udp"] : [$"{port}/tcp", $"{port}/udp"];
        Assert.Equal(expose, image.Expose);
        string stateDir = name == "tracker" ? Path.GetDirectoryName(image.Env["TRACKER_KEY_FILE"])! : image.Env["DATA_DIR"];
        Assert.Equal([stateDir], image.Volumes);
        Assert.Equal("/tmp", image.Env["TMPDIR"]); // a read-only root needs somewhere writable: a tmpfs there
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void The_image_runs_as_a_numeric_non_root_user_with_a_health_check_and_a_replaceable_base(string name)
    {
        var image = new Dockerfile($"docker/{name}.Dockerfile");
        string[] ids = image.User!.Split(':');
        Assert.All(ids, id => Assert.True(int.TryParse(id, out int n) && n > 0, $"USER {image.User} must be numeric and not root"));
        Assert.NotNull(image.Healthcheck);
        Assert.Contains("healthcheck", image.Healthcheck, StringComparison.Ordinal);
        Assert.Contains("BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0", image.Args);
        Assert.Contains("SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0", image.Args);
        Assert.Equal(["${SDK_IMAGE} AS build", "${BASE_IMAGE}"], image.From);
    }

    [Fact]
    public void Compose_runs_a_tracker_and_three_peers_that_reach_it_one_sharing_the_sample_folder()
    {
        var compose = Yaml.Documents(RepoFiles.Read("compose.yaml")).Single();
        var services = (Dictionary<object, object>)Yaml.At(compose, "services")!;
        var peers = services.Where(s => Yaml.Text(s.Value, "build.dockerfile") == "docker/peer.Dockerfile").ToList();
        Assert.Equal(3, peers.Count);
        Assert.Equal("docker/tracker.Dockerfile", Yaml.Text(services["tracker"], "build.dockerfile"));
        var trackerEnv = Yaml.StringMap(services["tracker"], "environment");
        string trackerPort = trackerEnv["TRACKER_ADDR"].Split(':')[^1];
        Assert.Contains($"{trackerPort}:{trackerPort}/udp", ((List<object>)Yaml.At(services["tracker"], "ports")!).Cast<string>());
        CheckVariables(ProgramSettings.Tracker, trackerEnv.Keys, "tracker");

        foreach (var (name, service) in peers)
        {
            var env = Yaml.StringMap(service, "environment");
            CheckVariables(ProgramSettings.Peer, env.Keys, (string)name);
            var url = new Uri(env["TRACKER_URL"]);
            Assert.True(services.ContainsKey(url.Host), $"{name}: TRACKER_URL names {url.Host}, which is no service");
            Assert.Equal(trackerPort, url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("true", Yaml.Text(service, "read_only"));
        }

        var sampleMounts = peers.SelectMany(p => ((List<object>)Yaml.At(p.Value, "volumes")!).Cast<string>())
            .Where(v => v.StartsWith("./", StringComparison.Ordinal)).ToList();
        string sample = Assert.Single(sampleMounts);
        Assert.True(Directory.Exists(RepoFiles.PathOf(sample.Split(':')[0])), $"{sample}: no such folder");
    }

    [Fact]
    public void The_seed_variables_can_be_set_in_every_deployment()
    {
        var manifests = new Manifests();
        foreach (var program in new[] { ProgramSettings.Tracker, ProgramSettings.Peer })
        {
            var named = new Dockerfile($"docker/{program.Name}.Dockerfile").Env.Keys
                .Concat(manifests.Workloads().Where(w => w.Program == program).SelectMany(w => w.Env().Keys))
                .ToHashSet();
            foreach (string variable in program.SeedVariables)
            {
                Assert.True(program.ReadsVariable(variable), $"the {program.Name} no longer reads {variable}");
                Assert.True(named.Contains(variable), $"neither docker/{program.Name}.Dockerfile nor k8s/ sets {variable}");
            }
        }
    }

    private static void CheckVariables(ProgramSettings program, IEnumerable<string> variables, string service)
    {
        foreach (string variable in variables.Where(v => !ProgramSettings.IsRuntimeVariable(v)))
        {
            Assert.True(program.ReadsVariable(variable), $"compose service {service} sets {variable}, which the {program.Name} never reads");
        }
    }

    private static ProgramSettings ProgramOf(string name) => name == "tracker" ? ProgramSettings.Tracker : ProgramSettings.Peer;
}
