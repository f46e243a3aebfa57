//! The conversation with the OpenID provider: discovery, the authorization request (code flow
//! with PKCE S256, state and nonce), the code exchange and the check of the ID token (signature
//! against the provider's published keys, issuer, audience, nonce, expiry).

use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    reqwest, AdditionalClaims, AuthenticationFlow, AuthorizationCode, Client, ClientId,
    ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdTokenFields, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse, TokenResponse,
    UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::Mutex;

use super::config::SsoSettings;
use super::SsoError;

/// How long discovered metadata (and the provider's signing keys) is trusted before it is
/// fetched again, so that rotated keys are picked up.
const METADATA_TTL: Duration = Duration::from_secs(600);
/// How long the provider may take to answer one request.
const HTTP_TIMEOUT: Duration = Duration::from_secs(15);

/// Claims beyond the standard ones (the role claim among them), as JSON.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OtherClaims(pub Map<String, Value>);
impl AdditionalClaims for OtherClaims {}

type IdFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<IdFields, CoreTokenType>;
type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A sign-in about to be sent to the provider.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Who the provider says signed in, after every check passed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The issuer as the ID token names it.
    pub issuer: String,
    pub subject: String,
    pub preferred_username: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The role claim that was found, and its values (empty when none was found).
    pub role_claim: Option<String>,
    pub role_values: Vec<String>,
}

/// The provider as configured, with its metadata cached for [`METADATA_TTL`].
pub struct Provider {
    settings: SsoSettings,
    http: reqwest::Client,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

fn provider_error(what: &str, e: impl std::error::Error) -> SsoError {
    let mut text = format!("{what}: {e}");
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    SsoError::Provider(text)
}

impl Provider {
    pub fn new(settings: SsoSettings) -> Result<Provider, SsoError> {
        let http = reqwest::Client::builder()
            // Following redirects from the provider's endpoints would open a path to elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| provider_error("cannot build the HTTP client", e))?;
        Ok(Provider {
            settings,
            http,
            metadata: Mutex::new(None),
        })
    }

    pub fn settings(&self) -> &SsoSettings {
        &self.settings
    }

    async fn metadata(&self) -> Result<CoreProviderMetadata, SsoError> {
        let mut cached = self.metadata.lock().await;
        if let Some((at, m)) = cached.as_ref() {
            if at.elapsed() < METADATA_TTL {
                return Ok(m.clone());
            }
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| provider_error("the issuer URL is not valid", e))?;
        let m = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| provider_error("discovery failed", e))?;
        *cached = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    async fn client(&self) -> Result<OidcClient, SsoError> {
        let metadata = self.metadata().await?;
        let redirect = RedirectUrl::new(self.settings.redirect_url.clone())
            .map_err(|e| provider_error("the redirect URL is not valid", e))?;
        Ok(OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }

    /// The provider's authorization URL for a new sign-in, with fresh state, nonce and PKCE
    /// verifier (whose S256 challenge goes into the URL).
    pub async fn authorize(&self) -> Result<Authorization, SsoError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scopes(self.settings.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code, checks the ID token and reads the user's claims from it and, when
    /// the provider has a userinfo endpoint, from there too (the ID token's values win).
    pub async fn identify(
        &self,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
    ) -> Result<Identity, SsoError> {
        let client = self.client().await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| provider_error("the provider has no token endpoint", e))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| provider_error("the code exchange failed", e))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| SsoError::Token("the provider sent no ID token".into()))?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(nonce.to_owned()))
            .map_err(|e| SsoError::Token(e.to_string()))?;
        let mut who = Identity {
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            preferred_username: claims.preferred_username().map(|u| u.as_str().to_owned()),
            email: claims.email().map(|e| e.as_str().to_owned()),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
            ..Identity::default()
        };
        let mut other = claims.additional_claims().0.clone();
        if let Ok(request) = client.user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        ) {
            let info: UserInfoClaims<OtherClaims, CoreGenderClaim> = request
                .request_async(&self.http)
                .await
                .map_err(|e| provider_error("the userinfo request failed", e))?;
            who.preferred_username = who
                .preferred_username
                .or_else(|| info.preferred_username().map(|u| u.as_str().to_owned()));
            who.email = who
                .email
                .or_else(|| info.email().map(|e| e.as_str().to_owned()));
            who.name = who.name.or_else(|| {
                info.name()
                    .and_then(|n| n.get(None))
                    .map(|n| n.as_str().to_owned())
            });
            for (k, v) in &info.additional_claims().0 {
                other.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        if let Some((claim, value)) = self
            .settings
            .role_claims
            .iter()
            .find_map(|c| other.get(c).map(|v| (c, v)))
        {
            who.role_claim = Some(claim.clone());
            who.role_values = aims_core::sso::claim_values(value);
        }
        Ok(who)
    }
}
