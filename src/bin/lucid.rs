//! `lucid [FILE|-] [--url URL] [--format text|markdown|html|json]`: prints the article.
//! Exit 0 with the article, 1 when the page has none, 2 on usage or I/O errors.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run(std::env::args().skip(1).collect()));
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::{Read, Write};

    use lucid::render::{render, Format};
    use lucid::{ExtractError, Options};

    const USAGE: &str = "usage: lucid [FILE|-] [--url URL] [--format text|markdown|html|json]";

    struct Args {
        input: Option<String>,
        url: Option<String>,
        format: Format,
    }

    fn parse_args(args: Vec<String>) -> Result<Args, String> {
        let mut out = Args {
            input: None,
            url: None,
            format: Format::Text,
        };
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-h" | "--help" => return Err(String::new()),
                "--url" => out.url = Some(it.next().ok_or("--url needs a value")?),
                "--format" | "-f" => {
                    let f = it.next().ok_or("--format needs a value")?;
                    out.format = f.parse().map_err(|e: lucid::FormatError| e.to_string())?;
                }
                s if s.starts_with("--url=") => out.url = Some(s[6..].to_string()),
                s if s.starts_with("--format=") => {
                    out.format = s[9..]
                        .parse()
                        .map_err(|e: lucid::FormatError| e.to_string())?
                }
                s if s.starts_with('-') && s != "-" => return Err(format!("unknown option {s}")),
                _ if out.input.is_some() => return Err("only one input file".into()),
                _ => out.input = Some(a),
            }
        }
        Ok(out)
    }

    fn read_input(input: Option<&str>) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        match input {
            None | Some("-") => std::io::stdin()
                .read_to_end(&mut bytes)
                .map(|_| ())
                .map_err(|e| format!("reading stdin: {e}"))?,
            Some(path) => {
                bytes = std::fs::read(path).map_err(|e| format!("reading {path}: {e}"))?
            }
        }
        Ok(bytes)
    }

    pub fn run(raw: Vec<String>) -> i32 {
        let args = match parse_args(raw) {
            Ok(a) => a,
            Err(msg) => {
                if msg.is_empty() {
                    println!("{USAGE}");
                    return 0;
                }
                eprintln!("lucid: {msg}\n{USAGE}");
                return 2;
            }
        };
        let opts = match Options::for_url(args.url.as_deref().unwrap_or("")) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("lucid: {e}");
                return 2;
            }
        };
        let bytes = match read_input(args.input.as_deref()) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("lucid: {e}");
                return 2;
            }
        };
        let mut doc = lucid::dom::html::parse_bytes(&bytes);
        match lucid::extract(&mut doc, &opts) {
            Ok(article) => {
                let mut out = render(&article, args.format);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                let mut stdout = std::io::stdout().lock();
                // A closed pipe (`lucid page.html | head`) is not an error worth a message.
                let _ = stdout.write_all(out.as_bytes());
                0
            }
            Err(e @ ExtractError::NoArticle) => {
                eprintln!("{e}");
                1
            }
            Err(e) => {
                eprintln!("lucid: {e}");
                2
            }
        }
    }
}
