package io.ledgerline.command.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Records the outcome of an idempotent command in the command's own unit of work, so the record
 * commits in the same database transaction as the events: a retry finds either both or neither.
 */
// Its place among the command bus's interceptors, outermost first (account.StaleDecisionCheck).
@Component
@Order(1)
class IdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

  /** Metadata keys set only on commands dispatched for an HTTP request with a key. */
  static final String SCOPE = "ledgerline.idempotency.scope";

  static final String KEY = "ledgerline.idempotency.key";
  static final String REQUEST_HASH = "ledgerline.idempotency.requestHash";

  private final IdempotencyRecords records;
  private final ObjectMapper json;

  /** Axon registers interceptor beans on the command bus by itself. */
  IdempotencyInterceptor(IdempotencyRecords records) {
    this.records = records;
    this.json = IdempotentCommandSender.RESULT_JSON;
  }

  @Override
  public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
      throws Exception {
    var metadata = unitOfWork.getMessage().getMetaData();
    Object key = metadata.get(KEY);
    if (key == null) {
      return chain.proceed();
    }
    Object result = chain.proceed();
    byte[] resultJson = json.writeValueAsBytes(result);
    String resultType = result == null ? "null" : result.getClass().getName();
    unitOfWork.onPrepareCommit(
        committing ->
            records.insert(
                metadata.get(SCOPE).toString(),
                key.toString(),
                metadata.get(REQUEST_HASH).toString(),
                resultType,
                resultJson));
    return result;
  }
}
