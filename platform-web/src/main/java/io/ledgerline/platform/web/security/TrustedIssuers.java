package io.ledgerline.platform.web.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Hands each token to the decoder of its issuer, named by its (as yet unverified) {@code iss}: that
 * decoder verifies the signature with that issuer's keys and checks every claim, {@code iss}
 * included. A token of an issuer not listed is refused without a key being looked up.
 */
public final class TrustedIssuers implements JwtDecoder {

  private final Map<String, JwtDecoder> decoders;

  /**
   * @param decoders each trusted issuer ({@code iss}) with the decoder that verifies its tokens
   */
  public TrustedIssuers(Map<String, JwtDecoder> decoders) {
    if (decoders.isEmpty()) {
      throw new IllegalArgumentException("no trusted issuer");
    }
    this.decoders = Map.copyOf(new LinkedHashMap<>(decoders));
  }

  public Set<String> issuers() {
    return decoders.keySet();
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    String issuer;
    try {
      JWT jwt = JWTParser.parse(token);
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      issuer = claims == null ? null : claims.getIssuer();
    } catch (ParseException e) {
      throw new BadJwtException("malformed token", e);
    }
    JwtDecoder decoder = issuer == null ? null : decoders.get(issuer);
    if (decoder == null) {
      throw new BadJwtException("the token's issuer is not trusted");
    }
    return decoder.decode(token);
  }
}
