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

/// Reads the QR code of an HTML page as a phone would: rasterises its SVG with resvg and decodes
/// the picture with rqrr; gives the otpauth URI and the raw secret.
pub fn scan_html(html: &str) -> (url::Url, Vec<u8>) {
    let start = html.find("<svg").expect("the page has an SVG QR code");
    let end = html[start..].find("</svg>").expect("the SVG ends") + start + "</svg>".len();
    let tree = resvg::usvg::Tree::from_str(&html[start..end], &resvg::usvg::Options::default())
        .expect("the QR code is valid SVG");
    let size = tree.size();
    let scale = 2.0;
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).expect("pixmap");
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    read_authenticator_qr(w as usize, h as usize, |x, y| {
        let pixel = pixmap.pixel(x as u32, y as u32).expect("pixel");
        ((u16::from(pixel.red()) + u16::from(pixel.green()) + u16::from(pixel.blue())) / 3) as u8
    })
}
