//! Serves shelf on 127.0.0.1 at the port `PORT` names (8080 by default), accepting the bearer
//! token `SHELF_TOKEN` names (`shelf-dev-token` by default).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    let token = std::env::var("SHELF_TOKEN").unwrap_or_else(|_| "shelf-dev-token".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("shelf listening on http://{}/v1", listener.local_addr()?);
    axum::serve(listener, shelf::app(&token)).await
}
