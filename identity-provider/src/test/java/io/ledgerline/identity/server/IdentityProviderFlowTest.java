package io.ledgerline.identity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The provider's protocol end to end, in process: discovery, client credentials, authorization code
 * with PKCE through the sign-in form, rotating refresh tokens of the public client, the claims the
 * services need, key rotation, and disabling a user. Nothing outside the provider is involved.
 */
@SpringBootTest(properties = "ledgerline.identity.issuer=http://127.0.0.1:9000")
@AutoConfigureMockMvc
@DirtiesContext
class IdentityProviderFlowTest {

  private static final String ISSUER = "http://127.0.0.1:9000";
  private static final String DASHBOARD = "http://127.0.0.1:8081";
  private static final String CALLBACK = DASHBOARD + "/auth/callback";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired MockMvc mvc;

  @Test
  void discoveryNamesTheIssuerItsKeysAndTheEndpointsADashboardNeeds() throws Exception {
    JsonNode metadata = json(mvc.perform(get("/.well-known/openid-configuration")));

    assertThat(metadata.get("issuer").asText()).isEqualTo(ISSUER);
    assertThat(metadata.get("jwks_uri").asText()).isEqualTo(ISSUER + "/oauth2/jwks");
    assertThat(metadata.get("end_session_endpoint").asText()).isEqualTo(ISSUER + "/connect/logout");
    assertThat(metadata.get("code_challenge_methods_supported").toString()).contains("S256");
  }

  @Test
  void aMachineClientGetsAShortLivedRs256TokenForTheServicesWithItsRoles() throws Exception {
    SignedJWT token =
        SignedJWT.parse(clientCredentials("ledgerline-machine", "machine-local-secret"));

    assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(verifies(token)).isTrue();
    var claims = token.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(ISSUER);
    assertThat(claims.getAudience()).containsExactly("ledgerline");
    assertThat(claims.getSubject()).isEqualTo("ledgerline-machine");
    assertThat(claims.getStringListClaim("roles")).containsExactly("operator");
    assertThat(
            Duration.between(
                claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aWrongClientSecretGetsNoToken() throws Exception {
    MockHttpServletResponse response =
        mvc.perform(
                post("/oauth2/token")
                    .header(HttpHeaders.AUTHORIZATION, basic("ledgerline-machine", "guess"))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .param("grant_type", "client_credentials"))
            .andReturn()
            .getResponse();

    assertThat(response.getStatus()).isEqualTo(401);
  }

  @Test
  void aUserSignsInWithAuthorizationCodeAndPkceAndRefreshesWithRotation() throws Exception {
    JsonNode tokens = signIn("alice", "alice-local");

    SignedJWT access = SignedJWT.parse(tokens.get("access_token").asText());
    assertThat(verifies(access)).isTrue();
    assertThat(access.getJWTClaimsSet().getSubject()).isEqualTo("alice");
    assertThat(access.getJWTClaimsSet().getAudience()).containsExactly("ledgerline");
    assertThat(access.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("customer");
    assertThat(tokens.has("id_token")).isTrue();
    String refresh = tokens.get("refresh_token").asText();

    JsonNode refreshed = refresh(refresh, 200);
    assertThat(refreshed.get("refresh_token").asText()).isNotEqualTo(refresh);
    assertThat(
            SignedJWT.parse(refreshed.get("access_token").asText()).getJWTClaimsSet().getSubject())
        .isEqualTo("alice");
    // Rotation: the used refresh token is spent.
    assertThat(refresh(refresh, 400).get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void logoutEndsTheSignInSessionAndReturnsToTheDashboard() throws Exception {
    MockHttpSession session = new MockHttpSession();
    JsonNode tokens = signIn(session, "audrey", "audrey-local");

    MockHttpServletResponse logout =
        mvc.perform(
                get(URI.create(
                        UriComponentsBuilder.fromPath("/connect/logout")
                            .queryParam("id_token_hint", tokens.get("id_token").asText())
                            .queryParam("post_logout_redirect_uri", "http://127.0.0.1:8081/")
                            .queryParam("client_id", "ledgerline-dashboard")
                            .encode()
                            .build()
                            .toUriString()))
                    .session(session))
            .andReturn()
            .getResponse();

    assertThat(logout.getRedirectedUrl()).isEqualTo("http://127.0.0.1:8081/");
    assertThat(session.isInvalid()).isTrue();
  }

  @Test
  void theDashboardsOriginAloneMayCallDiscoveryKeysTokenAndRevocationFromAScript()
      throws Exception {
    for (String path : List.of("/.well-known/openid-configuration", "/oauth2/jwks")) {
      MockHttpServletResponse allowed =
          mvc.perform(get(path).header(HttpHeaders.ORIGIN, DASHBOARD)).andReturn().getResponse();
      assertThat(allowed.getStatus()).as(path).isEqualTo(200);
      assertThat(allowed.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN))
          .as(path)
          .isEqualTo(DASHBOARD);
      MockHttpServletResponse foreign =
          mvc.perform(get(path).header(HttpHeaders.ORIGIN, "http://evil.example"))
              .andReturn()
              .getResponse();
      assertThat(foreign.getStatus()).as(path).isEqualTo(403);
      assertThat(foreign.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).isNull();
    }
    // Another port of the same host is another origin.
    assertThat(
            mvc.perform(get("/oauth2/jwks").header(HttpHeaders.ORIGIN, "http://127.0.0.1:8080"))
                .andReturn()
                .getResponse()
                .getStatus())
        .isEqualTo(403);
    // The page's token and revocation calls are simple requests (a form, no custom header, no
    // cookie): no preflight.
    JsonNode tokens = signIn(new MockHttpSession(), "olivia", "olivia-local", DASHBOARD + "/");
    String refreshToken = tokens.get("refresh_token").asText();
    MockHttpServletResponse foreign =
        mvc.perform(refreshRequest(refreshToken).header(HttpHeaders.ORIGIN, "http://evil.example"))
            .andReturn()
            .getResponse();
    assertThat(foreign.getStatus()).isEqualTo(403);
    assertThat(foreign.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).isNull();
    MockHttpServletResponse refreshed =
        mvc.perform(refreshRequest(refreshToken).header(HttpHeaders.ORIGIN, DASHBOARD))
            .andReturn()
            .getResponse();
    assertThat(refreshed.getStatus())
        .as("a foreign origin's request used nothing: " + refreshed.getContentAsString())
        .isEqualTo(200);
    assertThat(refreshed.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(DASHBOARD);
    MockHttpServletResponse revoked =
        mvc.perform(
                revokeRequest(
                        JSON.readTree(refreshed.getContentAsString()).get("refresh_token").asText())
                    .header(HttpHeaders.ORIGIN, DASHBOARD))
            .andReturn()
            .getResponse();
    assertThat(revoked.getStatus()).isEqualTo(200);
    assertThat(revoked.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(DASHBOARD);
  }

  /**
   * The dashboard page's sign-out: it revokes its refresh token, then sends the browser to the
   * logout endpoint with the latest ID token (each refresh issues a new one, and the provider knows
   * the session by that one only), which ends the sign-in session and returns to the page.
   */
  @Test
  void theDashboardsSignOutRevokesItsRefreshTokenThenLogsOutWithTheLatestIdToken()
      throws Exception {
    MockHttpSession session = new MockHttpSession();
    JsonNode tokens = signIn(session, "olivia", "olivia-local", DASHBOARD + "/");
    JsonNode refreshed = refresh(tokens.get("refresh_token").asText(), 200);
    String latestIdToken = refreshed.get("id_token").asText();
    assertThat(latestIdToken).isNotEqualTo(tokens.get("id_token").asText());
    assertThat(SignedJWT.parse(latestIdToken).getJWTClaimsSet().getSubject()).isEqualTo("olivia");

    MockHttpServletResponse revoked =
        mvc.perform(revokeRequest(refreshed.get("refresh_token").asText()))
            .andReturn()
            .getResponse();
    assertThat(revoked.getStatus()).isEqualTo(200);
    assertThat(refresh(refreshed.get("refresh_token").asText(), 400).get("error").asText())
        .isEqualTo("invalid_grant");

    assertThat(logout(session, tokens.get("id_token").asText()).getRedirectedUrl())
        .as("the ID token a refresh replaced is no hint")
        .isNull();
    MockHttpServletResponse logout = logout(session, latestIdToken);
    assertThat(logout.getRedirectedUrl()).isEqualTo(DASHBOARD + "/");
    assertThat(session.isInvalid()).isTrue();
  }

  @Test
  void thePublicClientMustUsePkce() throws Exception {
    MockHttpSession session = signedInSession("olivia", "olivia-local");

    MockHttpServletResponse response =
        mvc.perform(
                get(authorizeUri(
                        Map.of(
                            "response_type", "code",
                            "client_id", "ledgerline-dashboard",
                            "redirect_uri", CALLBACK,
                            "scope", "openid",
                            "state", "s")))
                    .session(session))
            .andReturn()
            .getResponse();

    assertThat(response.getRedirectedUrl()).startsWith(CALLBACK).contains("error=invalid_request");
  }

  @Test
  void aDisabledUserIsRefusedEveryTokenAndListedAsRevoked() throws Exception {
    JsonNode tokens = signIn("bob", "bob-local");
    String admin = clientCredentials("ledgerline-admin", "admin-local-secret");

    JsonNode disabled =
        json(
            mvc.perform(
                post("/admin/users/bob/disable")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)));

    assertThat(disabled.get("enabled").asBoolean()).isFalse();
    assertThat(disabled.get("authorizationsRemoved").asInt()).isEqualTo(1);
    assertThat(refresh(tokens.get("refresh_token").asText(), 400).get("error").asText())
        .isEqualTo("invalid_grant");
    MockHttpServletResponse login = login(new MockHttpSession(), "bob", "bob-local");
    assertThat(login.getRedirectedUrl()).endsWith("/login?error");
    JsonNode revocations = json(mvc.perform(get("/revocations")));
    assertThat(revocations.get("issuer").asText()).isEqualTo(ISSUER);
    assertThat(revocations.get("revoked").toString()).contains("\"subject\":\"bob\"");

    json(
        mvc.perform(
            post("/admin/users/bob/enable").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)));
    assertThat(signIn("bob", "bob-local").has("access_token")).isTrue();
  }

  @Test
  void theAdminApiNeedsTheProvidersOwnTokenWithTheAdminRole() throws Exception {
    String operator = clientCredentials("ledgerline-machine", "machine-local-secret");

    assertThat(mvc.perform(post("/admin/keys/rotate")).andReturn().getResponse().getStatus())
        .isEqualTo(401);
    assertThat(
            mvc.perform(
                    post("/admin/keys/rotate")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator))
                .andReturn()
                .getResponse()
                .getStatus())
        .isEqualTo(403);
    assertThat(
            mvc.perform(
                    post("/admin/users/nobody/disable")
                        .header(
                            HttpHeaders.AUTHORIZATION,
                            "Bearer "
                                + clientCredentials("ledgerline-admin", "admin-local-secret")))
                .andReturn()
                .getResponse()
                .getStatus())
        .isEqualTo(404);
  }

  @Test
  void afterAKeyRotationNewTokensUseTheNewKeyAndOldOnesStillVerify() throws Exception {
    String admin = clientCredentials("ledgerline-admin", "admin-local-secret");
    SignedJWT before =
        SignedJWT.parse(clientCredentials("ledgerline-machine", "machine-local-secret"));

    JsonNode rotated =
        json(
            mvc.perform(
                post("/admin/keys/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)));
    SignedJWT after =
        SignedJWT.parse(clientCredentials("ledgerline-machine", "machine-local-secret"));

    assertThat(after.getHeader().getKeyID())
        .isEqualTo(rotated.get("signingKeyId").asText())
        .isNotEqualTo(before.getHeader().getKeyID());
    assertThat(verifies(before)).isTrue();
    assertThat(verifies(after)).isTrue();
    // The admin token signed with the old key still opens the admin API.
    assertThat(
            mvc.perform(get("/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andReturn()
                .getResponse()
                .getStatus())
        .isEqualTo(200);
  }

  @Test
  void healthAndTheRevocationListAreOpenAndTheListIsBrieflyCacheable() throws Exception {
    assertThat(mvc.perform(get("/actuator/health/readiness")).andReturn().getResponse().getStatus())
        .isEqualTo(200);
    MockHttpServletResponse revocations =
        mvc.perform(get("/revocations")).andReturn().getResponse();
    assertThat(revocations.getStatus()).isEqualTo(200);
    assertThat(revocations.getHeader(HttpHeaders.CACHE_CONTROL)).contains("max-age=1");
  }

  // --- the flows, as a browser and a client would drive them

  /** Authorization code with PKCE for the dashboard client, through the sign-in form. */
  private JsonNode signIn(String username, String password) throws Exception {
    return signIn(new MockHttpSession(), username, password);
  }

  private JsonNode signIn(MockHttpSession session, String username, String password)
      throws Exception {
    return signIn(session, username, password, CALLBACK);
  }

  private JsonNode signIn(
      MockHttpSession session, String username, String password, String redirectUri)
      throws Exception {
    String verifier = randomUrlSafe(32);
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String state = randomUrlSafe(16);
    MockHttpServletResponse authorize =
        mvc.perform(authorize(session, challenge, state, redirectUri)).andReturn().getResponse();
    assertThat(authorize.getRedirectedUrl()).endsWith("/login");
    // The sign-in form sends the browser back to the authorization request it interrupted.
    String resumed = login(session, username, password).getRedirectedUrl();
    assertThat(resumed).contains("/oauth2/authorize?");
    MockHttpServletResponse granted =
        mvc.perform(get(URI.create(resumed)).session(session).accept(MediaType.TEXT_HTML))
            .andReturn()
            .getResponse();
    assertThat(granted.getRedirectedUrl()).startsWith(redirectUri + "?");
    Map<String, String> query =
        UriComponentsBuilder.fromUri(URI.create(granted.getRedirectedUrl()))
            .build()
            .getQueryParams()
            .toSingleValueMap();
    assertThat(query.get("state")).isEqualTo(state);
    return json(
        mvc.perform(
            post("/oauth2/token")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("grant_type", "authorization_code")
                .param("code", query.get("code"))
                .param("redirect_uri", redirectUri)
                .param("client_id", "ledgerline-dashboard")
                .param("code_verifier", verifier)));
  }

  private MockHttpSession signedInSession(String username, String password) throws Exception {
    MockHttpSession session = new MockHttpSession();
    login(session, username, password);
    return session;
  }

  // Spring Authorization Server reads an authorization request from its query string.
  private static org.springframework.test.web.servlet.RequestBuilder authorize(
      MockHttpSession session, String challenge, String state, String redirectUri) {
    return get(authorizeUri(
            Map.of(
                "response_type", "code",
                "client_id", "ledgerline-dashboard",
                "redirect_uri", redirectUri,
                "scope", "openid profile",
                "state", state,
                "code_challenge", challenge,
                "code_challenge_method", "S256")))
        .session(session)
        .accept(MediaType.TEXT_HTML);
  }

  private static URI authorizeUri(Map<String, String> parameters) {
    UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/oauth2/authorize");
    parameters.forEach(uri::queryParam);
    return uri.encode().build().toUri();
  }

  /** The sign-in form as a browser posts it: with the CSRF token of the page. */
  private MockHttpServletResponse login(MockHttpSession session, String username, String password)
      throws Exception {
    String page =
        mvc.perform(get("/login").session(session)).andReturn().getResponse().getContentAsString();
    Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page);
    assertThat(csrf.find()).as("the sign-in page carries a CSRF token: " + page).isTrue();
    return mvc.perform(
            post("/login")
                .session(session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("username", username)
                .param("password", password)
                .param("_csrf", csrf.group(1)))
        .andReturn()
        .getResponse();
  }

  private static MockHttpServletRequestBuilder refreshRequest(String refreshToken) {
    return post("/oauth2/token")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .param("grant_type", "refresh_token")
        .param("refresh_token", refreshToken)
        .param("client_id", "ledgerline-dashboard");
  }

  /** The revocation as the dashboard page sends it: a public client, by its id. */
  private static MockHttpServletRequestBuilder revokeRequest(String refreshToken) {
    return post("/oauth2/revoke")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .param("token", refreshToken)
        .param("token_type_hint", "refresh_token")
        .param("client_id", "ledgerline-dashboard");
  }

  private MockHttpServletResponse logout(MockHttpSession session, String idToken) throws Exception {
    return mvc.perform(
            get(URI.create(
                    UriComponentsBuilder.fromPath("/connect/logout")
                        .queryParam("id_token_hint", idToken)
                        .queryParam("post_logout_redirect_uri", DASHBOARD + "/")
                        .queryParam("client_id", "ledgerline-dashboard")
                        .encode()
                        .build()
                        .toUriString()))
                .session(session))
        .andReturn()
        .getResponse();
  }

  private JsonNode refresh(String refreshToken, int expectedStatus) throws Exception {
    MockHttpServletResponse response =
        mvc.perform(
                post("/oauth2/token")
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .param("grant_type", "refresh_token")
                    .param("refresh_token", refreshToken)
                    .param("client_id", "ledgerline-dashboard"))
            .andReturn()
            .getResponse();
    assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(expectedStatus);
    return JSON.readTree(response.getContentAsString());
  }

  private String clientCredentials(String client, String secret) throws Exception {
    return json(mvc.perform(
            post("/oauth2/token")
                .header(HttpHeaders.AUTHORIZATION, basic(client, secret))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("grant_type", "client_credentials")))
        .get("access_token")
        .asText();
  }

  private boolean verifies(SignedJWT token) throws Exception {
    JWKSet keys =
        JWKSet.parse(
            mvc.perform(get("/oauth2/jwks")).andReturn().getResponse().getContentAsString());
    List<RSAKey> matching =
        keys.getKeys().stream()
            .filter(key -> key.getKeyID().equals(token.getHeader().getKeyID()))
            .map(key -> (RSAKey) key)
            .toList();
    assertThat(matching).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
    return matching.size() == 1 && token.verify(new RSASSAVerifier(matching.get(0)));
  }

  private static JsonNode json(org.springframework.test.web.servlet.ResultActions result)
      throws Exception {
    MockHttpServletResponse response = result.andReturn().getResponse();
    assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
    return JSON.readTree(response.getContentAsString());
  }

  private static String basic(String user, String secret) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private static String randomUrlSafe(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
