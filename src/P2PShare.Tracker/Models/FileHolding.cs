namespace P2PShare.Tracker.Models;

/// <summary>What one peer holds of one file: all of it, or this many verified chunks.</summary>
internal sealed record FileHolding(bool Complete, int VerifiedChunks, DateTimeOffset AnnouncedAt);
