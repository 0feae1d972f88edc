package io.ledgerline.query.account;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.query.api.NotFoundException;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reads the accounts read model: {@code /api/v1/accounts}. */
@RestController
@RequestMapping(path = "/api/v1/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
class AccountQueryController {

  private final ElasticsearchClient elasticsearch;

  AccountQueryController(ElasticsearchClient elasticsearch) {
    this.elasticsearch = elasticsearch;
  }

  @GetMapping("/{accountId}")
  ResponseEntity<AccountDocument> account(@PathVariable String accountId) throws IOException {
    var response =
        elasticsearch.get(
            request -> request.index(AccountProjector.INDEX.alias()).id(accountId).realtime(true),
            AccountDocument.class);
    if (!response.found() || response.source() == null) {
      throw new NotFoundException("no such account: " + accountId);
    }
    AccountDocument account = response.source();
    return ResponseEntity.ok().eTag("\"" + account.version() + "\"").body(account);
  }
}
