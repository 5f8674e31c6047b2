namespace OneHop.Core.Configuration;

/// <summary>Size and modification time of a file (and of its target, for a symlink, as ConfigMap mounts use).</summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc, long TargetLength, DateTime TargetLastWriteUtc)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
        {
            return new FileStamp(info.Length, info.LastWriteTimeUtc, target.Exists ? target.Length : -1, target.LastWriteTimeUtc);
        }

        return new FileStamp(info.Length, info.LastWriteTimeUtc, 0, default);
    }
}
