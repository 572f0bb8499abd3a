//! placeholder
pub async fn run(_r: usize, _c: usize) -> i32 {
    0
}
