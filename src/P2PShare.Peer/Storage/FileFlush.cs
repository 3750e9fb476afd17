using Microsoft.Win32.SafeHandles;

namespace P2PShare.Peer.Storage;

/// <summary>
/// The step that makes a partial file's written bytes durable; <see cref="PartialFile"/> uses fsync
/// (<see cref="RandomAccess.FlushToDisk"/>) unless given another. It exists so that crash-safety tests can put a
/// layer in front of the real fsync that fails it, as a dying disk does, and check that no chunk is recorded as
/// verified when its bytes were not made durable.
/// </summary>
/// <exception cref="IOException">The bytes could not be made durable.</exception>
internal delegate void FileFlush(SafeFileHandle handle);
