using System.Net;
using System.Text;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class BadInputTests
{
    public static TheoryData<string> CaseNames => [.. BadInputCases.All.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Request_BadInput_ReturnsThePromised4xxProblem(string caseName)
    {
        var badInput = BadInputCases.All[caseName];
        await using var host = await TrackerHost.StartAsync(o => o with { MaxBodyBytes = BadInputCases.MaxBodyBytes });
        using var request = new HttpRequestMessage(new HttpMethod(badInput.Method), badInput.Path);
        if (badInput.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(badInput.Body));
            if (badInput.ContentType is not null)
            {
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(badInput.ContentType);
            }
        }

        using var response = await host.Client.SendAsync(request, host.Token);

        Assert.InRange((int)response.StatusCode, 400, 499);
        string detail = await response.AssertProblemAsync(badInput.Status, host.Token);
        Assert.Contains(badInput.DetailContains, detail);
    }

    [Fact]
    public async Task Register_OversizedChunkedBody_Returns413()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { MaxBodyBytes = BadInputCases.MaxBodyBytes });
        // No Content-Length, so the limit trips while the body is being read rather than up front.
        var body = new MemoryStream(Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', (int)BadInputCases.MaxBodyBytes * 2) + "\"}"));
        using var content = new StreamContent(new NonSeekableStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await host.Client.PostAsync("/api/peers/register", content, host.Token);

        string detail = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, host.Token);
        Assert.Contains($"{BadInputCases.MaxBodyBytes}", detail);
    }

    /// <summary>Hides the length of a stream so HttpClient sends it chunked.</summary>
    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
