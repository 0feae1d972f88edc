package io.ledgerline.query.account;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.platform.web.security.ForbiddenException;
import java.io.IOException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Who owns an account, per the read model: for customers' access to their own data. */
@Component
public class AccountOwners {

  private final ElasticsearchClient elasticsearch;

  AccountOwners(ElasticsearchClient elasticsearch) {
    this.elasticsearch = elasticsearch;
  }

  public Optional<String> ownerOf(String accountId) throws IOException {
    var response =
        elasticsearch.get(
            g -> g.index(AccountProjector.INDEX.alias()).id(accountId).realtime(true),
            AccountDocument.class);
    return response.found() ? Optional.ofNullable(response.source().ownerId()) : Optional.empty();
  }

  /** Refuses a customer access to an account that is not theirs (or unknown). */
  public void requireMayRead(Caller caller, String accountId) throws IOException {
    if (caller.readsAnyAccount()) {
      return;
    }
    if (!ownerOf(accountId).map(caller.subject()::equals).orElse(false)) {
      throw new ForbiddenException("this account belongs to someone else");
    }
  }
}
