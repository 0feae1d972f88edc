package io.ledgerline.identity.keys;

import com.nimbusds.jose.jwk.RSAKey;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin only (see the security configuration): which keys are published, and a new one. */
@RestController
@RequestMapping("/admin/keys")
class KeyAdminController {

  private final SigningKeys keys;

  KeyAdminController(SigningKeys keys) {
    this.keys = keys;
  }

  @GetMapping
  Map<String, Object> keys() {
    return describe();
  }

  /** A new signing key; the one before stays published until its tokens have expired. */
  @PostMapping("/rotate")
  Map<String, Object> rotate() {
    keys.rotate();
    return describe();
  }

  private Map<String, Object> describe() {
    List<String> published = keys.published().stream().map(RSAKey::getKeyID).toList();
    return Map.of("signingKeyId", keys.current().getKeyID(), "publishedKeyIds", published);
  }
}
