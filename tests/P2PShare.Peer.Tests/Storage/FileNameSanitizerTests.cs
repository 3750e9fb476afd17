using System.Text;
using CsCheck;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class FileNameSanitizerTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../etc/passwd", "etc_passwd")]
    [InlineData("/etc/passwd", "etc_passwd")]
    [InlineData("con\0", "con_")]
    [InlineData("con", "_con")]
    [InlineData("CON.txt", "_CON.txt")]
    [InlineData("com1", "_com1")]
    [InlineData("nul.tar.gz", "_nul.tar.gz")]
    [InlineData("console.log", "console.log")]
    [InlineData("a/b\\c", "a_b_c")]
    [InlineData("..", "download")]
    [InlineData(".", "download")]
    [InlineData("", "download")]
    [InlineData("   ", "download")]
    [InlineData(".bashrc", "bashrc")]
    [InlineData("name. ", "name")]
    [InlineData("a\tb\nc", "a_b_c")]
    [InlineData("what?.txt", "what_.txt")]
    [InlineData("evil\u202Etxt.exe", "evil_txt.exe")]
    [InlineData("Grüße 日本語 🎉.txt", "Grüße 日本語 🎉.txt")]
    public void Sanitize_NetworkName_SafeComponent(string input, string expected)
    {
        Assert.Equal(expected, FileNameSanitizer.Sanitize(input));
    }

    [Fact]
    public void Sanitize_LoneSurrogate_Replaced()
    {
        // Not an InlineData: attribute arguments are stored as UTF-8, which cannot hold a lone surrogate.
        Assert.Equal("x_y", FileNameSanitizer.Sanitize("x\uD800y"));
    }

    [Fact]
    public void Sanitize_300CharacterName_At255BytesKeepsExtension()
    {
        string name = new string('a', 300) + ".iso";

        string result = FileNameSanitizer.Sanitize(name);

        Assert.Equal(255, Encoding.UTF8.GetByteCount(result));
        Assert.EndsWith(".iso", result);
    }

    [Fact]
    public void Sanitize_LongMultibyteName_CutsOnCharacterBoundary()
    {
        string name = string.Concat(Enumerable.Repeat("日本🎉", 60));

        string result = FileNameSanitizer.Sanitize(name);

        Assert.True(Encoding.UTF8.GetByteCount(result) <= 255);
        Assert.DoesNotContain('\uFFFD', result);
        Assert.Equal(result, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(result)));
    }

    [Fact]
    public void Sanitize_AnyString_SingleComponentInsideDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "p2pshare-sanitize");
        var hostile = Gen.Char["/\\.\0 :*?<>|\u202E\uD800cCoOnNuUlL1"];
        Gen.OneOf(Gen.Char, hostile).Array[0, 400].Select(chars => new string(chars))
            .Sample(input =>
            {
                string name = FileNameSanitizer.Sanitize(input);
                string full = Path.GetFullPath(Path.Combine(directory, name));

                Assert.NotEmpty(name);
                Assert.True(Encoding.UTF8.GetByteCount(name) <= FileNameSanitizer.MaxNameBytes);
                Assert.Equal(name, Path.GetFileName(name));
                Assert.Equal(directory, Path.GetDirectoryName(full));
                Assert.DoesNotContain(name, c => c is '/' or '\\' || char.IsControl(c));
                _ = StrictUtf8.GetByteCount(name); // throws on a lone surrogate
                Assert.False(name.StartsWith('.'));
                Assert.Equal(name, FileNameSanitizer.Sanitize(name));
            });
    }

    [Fact]
    public void UniquePath_NameTaken_AddsNumberBeforeExtension()
    {
        string directory = Directory.CreateTempSubdirectory("p2pshare-unique-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "movie.mkv"), "x");
            File.WriteAllText(Path.Combine(directory, "movie (1).mkv"), "x");
            Directory.CreateDirectory(Path.Combine(directory, "notes"));

            Assert.Equal(Path.Combine(directory, "movie (2).mkv"), FileNameSanitizer.UniquePath(directory, "movie.mkv"));
            Assert.Equal(Path.Combine(directory, "notes (1)"), FileNameSanitizer.UniquePath(directory, "notes"));
            Assert.Equal(Path.Combine(directory, "free.txt"), FileNameSanitizer.UniquePath(directory, "free.txt"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void UniquePath_MaximumLengthNameTaken_StaysWithinLimit()
    {
        string directory = Directory.CreateTempSubdirectory("p2pshare-unique-").FullName;
        try
        {
            string name = FileNameSanitizer.Sanitize(new string('b', 300) + ".bin");
            File.WriteAllText(Path.Combine(directory, name), "x");

            string unique = Path.GetFileName(FileNameSanitizer.UniquePath(directory, name));

            Assert.EndsWith(" (1).bin", unique);
            Assert.True(Encoding.UTF8.GetByteCount(unique) <= 255);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
