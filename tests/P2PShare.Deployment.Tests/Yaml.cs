using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace P2PShare.Deployment.Tests;

/// <summary>YAML documents as plain maps, lists and strings, with dotted-path access.</summary>
internal static class Yaml
{
    public static List<Dictionary<object, object>> Documents(string text)
    {
        var deserializer = new DeserializerBuilder().Build();
        // MergingParser resolves "<<: *anchor" merge keys (compose.yaml shares the peer settings that way).
        var parser = new MergingParser(new Parser(new StringReader(text)));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (deserializer.Deserialize<object>(parser) is Dictionary<object, object> document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    /// <summary>The value at <paramref name="path"/> ("spec.template.spec"), or null when any part is missing.</summary>
    public static object? At(object? node, string path)
    {
        foreach (string key in path.Split('.'))
        {
            node = node is Dictionary<object, object> map && map.TryGetValue(key, out var value) ? value : null;
        }

        return node;
    }

    public static string? Text(object? node, string path) => At(node, path) as string;

    public static List<Dictionary<object, object>> Maps(object? node, string path) =>
        At(node, path) is List<object> list ? [.. list.OfType<Dictionary<object, object>>()] : [];

    public static Dictionary<string, string> StringMap(object? node, string path) =>
        At(node, path) is Dictionary<object, object> map
            ? map.ToDictionary(pair => (string)pair.Key, pair => pair.Value as string ?? "")
            : [];
}
