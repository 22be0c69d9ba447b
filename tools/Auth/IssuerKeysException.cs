namespace Functions.Tools.Auth;

/// <summary>
/// An issuer's keys cannot be had: its JWKS URL does not answer or answers an error, or what it (or a --jwks file)
/// holds is not a JWKS with an RSA signing key. At start serve ends with it (tools/UserError.cs maps it to one line,
/// exit 1); on a refresh the keys read before are kept.
/// </summary>
public sealed class IssuerKeysException(string message, Exception? inner = null) : Exception(message, inner);
