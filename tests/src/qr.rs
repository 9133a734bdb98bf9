//! Reading an authenticator QR code as a phone camera would: rqrr decodes it, not our encoder.

/// Decodes the one QR code in a greyscale picture of `width` x `height` (`grey` gives a pixel's
/// brightness) and gives its otpauth URI and the raw TOTP secret it carries.
pub fn read_authenticator_qr(
    width: usize,
    height: usize,
    grey: impl FnMut(usize, usize) -> u8,
) -> (url::Url, Vec<u8>) {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, grey);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    let uri = url::Url::parse(&content).expect("the QR code holds a URI");
    let secret = uri
        .query_pairs()
        .find(|(k, _)| k == "secret")
        .map(|(_, v)| v.into_owned())
        .expect("the URI has a secret");
    let secret = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .expect("the secret is base32");
    (uri, secret)
}
