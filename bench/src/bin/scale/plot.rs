//! The plot: instructions and wall time per request against requests in flight (log scale),
//! one line per implementation, written as a PNG with no dependency — a small raster, a 3x5
//! pixel font, and a zlib stream of stored (uncompressed) blocks.

use super::inflight::{Error, Imp};
use super::Row;
use std::path::Path;

const W: usize = 760;
const PANEL_H: usize = 260;
const H: usize = 2 * PANEL_H + 20;
const LEFT: usize = 60;
const RIGHT: usize = 190;
const TOP: usize = 30;
const BOTTOM: usize = 40;
const SCALE: usize = 2;
const COLORS: [[u8; 3]; 5] = [
    [0x1f, 0x77, 0xb4],
    [0xd6, 0x27, 0x28],
    [0x2c, 0xa0, 0x2c],
    [0xff, 0x7f, 0x0e],
    [0x94, 0x67, 0xbd],
];
const BLACK: [u8; 3] = [0, 0, 0];
const GREY: [u8; 3] = [0xdd, 0xdd, 0xdd];

struct Canvas {
    px: Vec<u8>,
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            px: vec![0xff; W * H * 3],
        }
    }

    fn set(&mut self, x: i64, y: i64, c: [u8; 3]) {
        if (0..W as i64).contains(&x) && (0..H as i64).contains(&y) {
            let i = (y as usize * W + x as usize) * 3;
            self.px[i..i + 3].copy_from_slice(&c);
        }
    }

    /// A line `width` pixels thick (Bresenham, with a square pen).
    fn line(&mut self, (x0, y0): (i64, i64), (x1, y1): (i64, i64), c: [u8; 3], width: i64) {
        let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
        let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
        let (mut x, mut y, mut err) = (x0, y0, dx + dy);
        loop {
            for ox in 0..width {
                for oy in 0..width {
                    self.set(x + ox - width / 2, y + oy - width / 2, c);
                }
            }
            if x == x1 && y == y1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }

    fn text(&mut self, x: i64, y: i64, s: &str, c: [u8; 3]) {
        for (n, ch) in s.chars().enumerate() {
            let rows = glyph(ch);
            for (r, bits) in rows.iter().enumerate() {
                for col in 0..3 {
                    if bits & (4 >> col) != 0 {
                        for ox in 0..SCALE as i64 {
                            for oy in 0..SCALE as i64 {
                                let gx = x + (n * 4 * SCALE) as i64 + col * SCALE as i64 + ox;
                                self.set(gx, y + (r * SCALE) as i64 + oy, c);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// 3x5 glyphs, one row of three bits per entry, the left pixel in the high bit.
fn glyph(c: char) -> [u8; 5] {
    match c.to_ascii_lowercase() {
        '0' => [7, 5, 5, 5, 7],
        '1' => [2, 6, 2, 2, 7],
        '2' => [7, 1, 7, 4, 7],
        '3' => [7, 1, 7, 1, 7],
        '4' => [5, 5, 7, 1, 1],
        '5' => [7, 4, 7, 1, 7],
        '6' => [7, 4, 7, 5, 7],
        '7' => [7, 1, 1, 1, 1],
        '8' => [7, 5, 7, 5, 7],
        '9' => [7, 5, 7, 1, 7],
        'a' => [2, 5, 7, 5, 5],
        'b' => [6, 5, 6, 5, 6],
        'c' => [3, 4, 4, 4, 3],
        'd' => [6, 5, 5, 5, 6],
        'e' => [7, 4, 6, 4, 7],
        'f' => [7, 4, 6, 4, 4],
        'g' => [3, 4, 5, 5, 3],
        'h' => [5, 5, 7, 5, 5],
        'i' => [7, 2, 2, 2, 7],
        'j' => [1, 1, 1, 5, 2],
        'k' => [5, 5, 6, 5, 5],
        'l' => [4, 4, 4, 4, 7],
        'm' => [5, 7, 7, 5, 5],
        'n' => [6, 5, 5, 5, 5],
        'o' => [2, 5, 5, 5, 2],
        'p' => [6, 5, 6, 4, 4],
        'q' => [2, 5, 5, 6, 3],
        'r' => [6, 5, 6, 5, 5],
        's' => [3, 4, 2, 1, 6],
        't' => [7, 2, 2, 2, 2],
        'u' => [5, 5, 5, 5, 7],
        'v' => [5, 5, 5, 5, 2],
        'w' => [5, 5, 7, 7, 5],
        'x' => [5, 5, 2, 5, 5],
        'y' => [5, 5, 2, 2, 2],
        'z' => [7, 1, 2, 4, 7],
        '-' => [0, 0, 7, 0, 0],
        '.' => [0, 0, 0, 0, 2],
        ',' => [0, 0, 0, 2, 4],
        '/' => [1, 1, 2, 4, 4],
        '(' => [2, 4, 4, 4, 2],
        ')' => [2, 1, 1, 1, 2],
        _ => [0; 5],
    }
}

fn depth_label(d: u64) -> String {
    if d >= 1000 {
        format!("{}k", (d as f64 / 1024.0).round())
    } else {
        d.to_string()
    }
}

/// A round axis top at or above `max`: 1, 2 or 5 times a power of ten.
fn nice_top(max: f64) -> f64 {
    let p = 10f64.powf(max.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&t| t >= max)
        .unwrap_or(10.0 * p)
}

/// One panel: `value` of each row against its depth.
fn panel(
    cv: &mut Canvas,
    y0: usize,
    title: &str,
    imps: &[Imp],
    rows: &[Row],
    value: fn(&Row) -> Option<f64>,
) {
    let (x_left, x_right) = (LEFT as f64, (W - RIGHT) as f64);
    let (y_top, y_bottom) = ((y0 + TOP) as f64, (y0 + PANEL_H - BOTTOM) as f64);
    let mut depths: Vec<u64> = rows.iter().map(|r| r.depth).collect();
    depths.sort_unstable();
    depths.dedup();
    let (lo, hi) = match (depths.first(), depths.last()) {
        (Some(&lo), Some(&hi)) if hi > lo => ((lo as f64).ln(), (hi as f64).ln()),
        _ => return,
    };
    // The axis fits the depths from the second on: at depth 1 a request pays a whole round
    // (submit, wake-up, reap) alone, and its point, clipped, would flatten the rest.
    let second = depths.get(1).copied().unwrap_or(0);
    let top = nice_top(
        rows.iter()
            .filter(|r| r.depth >= second)
            .filter_map(value)
            .fold(0.0, f64::max)
            * 1.25,
    );
    let px = |d: u64| (x_left + ((d as f64).ln() - lo) / (hi - lo) * (x_right - x_left)) as i64;
    let py = |v: f64| (y_bottom - v.min(top * 1.05) / top * (y_bottom - y_top)) as i64;
    cv.text(LEFT as i64, y0 as i64 + 8, title, BLACK);
    for i in 0..=4 {
        let v = top * i as f64 / 4.0;
        cv.line((x_left as i64, py(v)), (x_right as i64, py(v)), GREY, 1);
        let label = format!("{v:.0}");
        cv.text(
            LEFT as i64 - 8 - (label.len() * 8) as i64,
            py(v) - 5,
            &label,
            BLACK,
        );
    }
    for &d in &depths {
        cv.line((px(d), y_top as i64), (px(d), y_bottom as i64), GREY, 1);
        let label = depth_label(d);
        cv.text(
            px(d) - (label.len() * 4) as i64,
            y_bottom as i64 + 8,
            &label,
            BLACK,
        );
    }
    cv.text(
        (x_left + x_right) as i64 / 2 - 60,
        y_bottom as i64 + 24,
        "requests in flight",
        BLACK,
    );
    cv.line(
        (x_left as i64, y_top as i64),
        (x_left as i64, y_bottom as i64),
        BLACK,
        1,
    );
    cv.line(
        (x_left as i64, y_bottom as i64),
        (x_right as i64, y_bottom as i64),
        BLACK,
        1,
    );
    for (k, &imp) in imps.iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        let mut points: Vec<(u64, f64)> = rows
            .iter()
            .filter(|r| r.imp == imp)
            .filter_map(|r| Some((r.depth, value(r)?)))
            .collect();
        points.sort_by_key(|p| p.0);
        for w in points.windows(2) {
            cv.line((px(w[0].0), py(w[0].1)), (px(w[1].0), py(w[1].1)), color, 3);
        }
        let ly = (y_top as i64) + 20 * k as i64;
        let lx = (W - RIGHT) as i64 + 16;
        cv.line((lx, ly + 4), (lx + 18, ly + 4), color, 3);
        cv.text(lx + 24, ly, imp.name(), BLACK);
    }
}

/// Draws the two panels and writes the PNG to `path`.
///
/// # Errors
/// The file could not be written.
pub fn write(path: &Path, imps: &[Imp], rows: &[Row]) -> Result<(), Error> {
    let mut cv = Canvas::new();
    panel(
        &mut cv,
        0,
        "user-space instructions per request (callgrind, depth 1 clipped)",
        imps,
        rows,
        |r| r.instr,
    );
    panel(
        &mut cv,
        PANEL_H + 20,
        "wall time per request (ns, depth 1 clipped)",
        imps,
        rows,
        |r| Some(r.ns),
    );
    std::fs::write(path, png(&cv.px))?;
    Ok(())
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// An 8-bit RGB PNG of the `W` x `H` pixels.
fn png(px: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(H * (W * 3 + 1));
    for row in px.chunks(W * 3) {
        raw.push(0); // filter: none
        raw.extend_from_slice(row);
    }
    // zlib: header, one DEFLATE block with the fixed codes (runs of a repeated byte as
    // matches at distance 1: the plot is mostly runs of white), Adler-32.
    let mut z = vec![0x78, 0x01];
    deflate_runs(&raw, &mut z);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(W as u32).to_be_bytes());
    ihdr.extend_from_slice(&(H as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Writes bits least significant first, as DEFLATE packs them.
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits<'_> {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, which DEFLATE stores most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    /// A literal/length symbol of the fixed code.
    fn symbol(&mut self, sym: u32) {
        match sym {
            0..=143 => self.code(0x30 + sym, 8),
            144..=255 => self.code(0x190 + sym - 144, 9),
            256..=279 => self.code(sym - 256, 7),
            _ => self.code(0xC0 + sym - 280, 8),
        }
    }

    fn finish(self) {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
    }
}

/// Length codes 257..285: the first length of each and its extra bits.
const LENGTHS: [(u32, u32); 29] = [
    (3, 0),
    (4, 0),
    (5, 0),
    (6, 0),
    (7, 0),
    (8, 0),
    (9, 0),
    (10, 0),
    (11, 1),
    (13, 1),
    (15, 1),
    (17, 1),
    (19, 2),
    (23, 2),
    (27, 2),
    (31, 2),
    (35, 3),
    (43, 3),
    (51, 3),
    (59, 3),
    (67, 4),
    (83, 4),
    (99, 4),
    (115, 4),
    (131, 5),
    (163, 5),
    (195, 5),
    (227, 5),
    (258, 0),
];

/// One final fixed-code block of `data`: each byte a literal, and each following run of the
/// same byte a match at distance 1.
fn deflate_runs(data: &[u8], out: &mut Vec<u8>) {
    let mut bits = Bits { out, acc: 0, n: 0 };
    bits.put(1, 1); // final block
    bits.put(1, 2); // fixed codes
    let mut i = 0;
    while i < data.len() {
        bits.symbol(u32::from(data[i]));
        let mut run = 0;
        while i + 1 + run < data.len() && data[i + 1 + run] == data[i] && run < 258 {
            run += 1;
        }
        if run >= 3 {
            let run = run as u32;
            let k = LENGTHS
                .iter()
                .rposition(|&(base, _)| base <= run)
                .unwrap_or(0);
            let (base, extra) = LENGTHS[k];
            bits.symbol(257 + k as u32);
            bits.put(run - base, extra);
            bits.code(0, 5); // distance code 0: distance 1
            i += 1 + run as usize;
        } else {
            i += 1;
        }
    }
    bits.symbol(256);
    bits.finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_iend_is_the_known_one() {
        // Every PNG ends with this chunk; its CRC is fixed.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }
}
