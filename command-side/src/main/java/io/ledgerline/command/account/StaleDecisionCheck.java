package io.ledgerline.command.account;

import io.ledgerline.command.api.GroupCommit;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.ExecutionResult;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Checks, after the handler, that a refusal or a no-op was not decided on a cached account another
 * instance has moved past ({@link StoreCheckedCache}), instead of checking every cached account
 * before use: the appending commands, nearly all of them, then cost no extra read of the store.
 *
 * <p>Only for commands sent with a unit of work of their own (the API's, the gateway's webhooks) or
 * as one of a group commit's (api.GroupCommit), whose senders decide again on a {@code
 * ConcurrencyException}. A command a tracking processor sends runs nested in the processor's
 * transaction and keeps the check before use. The innermost interceptor, so the idempotency record,
 * the meters and the span see the final outcome.
 */
@Component
@Order(StaleDecisionCheck.ORDER)
class StaleDecisionCheck implements MessageHandlerInterceptor<CommandMessage<?>> {

  /**
   * After the idempotency record (1), the meters (2) and the span (3): nearest to the handler. Axon
   * registers interceptor beans on the command bus by itself, in this order.
   */
  static final int ORDER = 4;

  private final StoreCheckedCache accounts;

  StaleDecisionCheck(StoreCheckedCache accounts) {
    this.accounts = accounts;
  }

  @Override
  public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
      throws Exception {
    if (!unitOfWork.isRoot() && !GroupCommit.isMember(unitOfWork)) {
      return chain.proceed();
    }
    StoreCheckedCache.deferChecks(unitOfWork);
    // An append the store refused: another instance wrote the account since this one cached it.
    unitOfWork.onRollback(
        rolledBack -> {
          // A group's member: the group's append was refused (its root's outcome).
          if (refusedAppend(rolledBack) || refusedAppend(rolledBack.root())) {
            accounts.staleSeen();
          }
        });
    Object result;
    try {
      result = chain.proceed();
    } catch (Exception refused) {
      accounts.verifyDecisions(unitOfWork, refused);
      throw refused;
    }
    accounts.verifyDecisions(unitOfWork, null);
    return result;
  }

  private static boolean refusedAppend(UnitOfWork<?> rolledBack) {
    ExecutionResult outcome = rolledBack.getExecutionResult();
    return outcome != null
        && outcome.isExceptionResult()
        && outcome.getExceptionResult() instanceof ConcurrencyException;
  }
}
