"""The client's side, without an account: follow a complaint from a link sent by e-mail."""
