//! Panic hook and mount; everything else lives in the library.

fn main() {
    dynaplay_web::start();
}
