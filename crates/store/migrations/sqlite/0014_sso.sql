-- Single sign-on: local users linked to an OpenID provider's subject, and sign-ins in progress.
CREATE TABLE user_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    username TEXT NOT NULL REFERENCES users (username),
    linked_at TEXT NOT NULL,
    last_sign_in_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_username ON user_identities (username);

-- A sign-in sent to the provider and not yet back: the state's hash, the nonce the ID token
-- must carry, the PKCE verifier and where to go afterwards. Used once, then deleted.
CREATE TABLE sso_pending (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
