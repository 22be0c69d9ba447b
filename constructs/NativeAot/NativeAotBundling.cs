using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace Functions.Cdk.NativeAot;

/// <summary>
/// Hands CDK the zip the build core made (bootstrap at the root, mode 0755), no Docker: CDK calls <see cref="TryBundle"/>
/// with the asset's output folder when the asset is not in cdk.out yet. The build itself ran when the construct was
/// made (see <see cref="NativeAotFunction"/>), so nothing that can fail for a user's reason runs inside this callback.
/// </summary>
internal sealed class NativeAotBundling(string zip) : DeputyBase, ILocalBundling
{
    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        // BundlingOutput.ARCHIVED: the one archive in the folder is the asset, uploaded as it is.
        File.Copy(zip, Path.Combine(outputDir, Path.GetFileName(zip)), overwrite: true);
        return true;
    }
}
