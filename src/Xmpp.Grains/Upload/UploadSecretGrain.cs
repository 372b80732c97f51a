using System.Security.Cryptography;
using Xmpp.Grains.Upload.State;

namespace Xmpp.Grains.Upload;

[GrainType("upload-secret")]
public sealed class UploadSecretGrain([PersistentState("uploadsecret")] IPersistentState<UploadSecretState> state) : Grain, IUploadSecretGrain
{
    /// <summary>As long as the HMAC-SHA256 it keys.</summary>
    private const int KeyBytes = 32;

    public async Task<byte[]> GetAsync()
    {
        if (state.State.Key is not { Length: > 0 })
        {
            state.State.Key = RandomNumberGenerator.GetBytes(KeyBytes);
            await state.SaveAsync(); // a key not stored would sign slots another process cannot check: none then
        }

        return state.State.Key;
    }
}
