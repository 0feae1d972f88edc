package io.ledgerline.command.metrics;

import io.ledgerline.command.api.GroupCommit;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.ExecutionResult;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Counts and times every command the bus handles, from the API and from the transfer process alike
 * ({@code ledgerline.commands}, {@code ledgerline.command.latency}). Axon registers interceptor
 * beans on the command bus by itself.
 */
// Its place among the command bus's interceptors, outermost first (account.StaleDecisionCheck).
@Component
@Order(2)
class CommandMeterInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

  private static final Throwable UNKNOWN_ROLLBACK = new IllegalStateException("rolled back");

  private final CommandMeters meters;

  CommandMeterInterceptor(CommandMeters meters) {
    this.meters = meters;
  }

  @Override
  public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
      throws Exception {
    String type = unitOfWork.getMessage().getPayloadType().getSimpleName();
    Timer.Sample started = meters.startCommand();
    Object result;
    try {
      result = chain.proceed();
    } catch (Exception e) {
      if (!GroupCommit.isMember(unitOfWork)) {
        // A group's refused command is handled again alone, and counted then.
        meters.commandFinished(type, started, e);
      }
      throw e;
    }
    if (unitOfWork.isRoot()) {
      // The events are appended at commit, which can still lose a race: only then is it decided.
      unitOfWork.afterCommit(u -> meters.commandFinished(type, started, null));
      unitOfWork.onRollback(u -> meters.commandFinished(type, started, rollbackCause(u)));
    } else if (GroupCommit.isMember(unitOfWork)) {
      // Counted once its group has committed. A group that rolls back hands each of its commands
      // back to be handled alone, and counted, again: the rollback is not the command's outcome.
      unitOfWork.afterCommit(u -> meters.commandFinished(type, started, null));
    } else {
      // Sent by an event processor: its events commit with the processor's whole batch.
      meters.commandFinished(type, started, null);
    }
    return result;
  }

  private static Throwable rollbackCause(UnitOfWork<?> unitOfWork) {
    ExecutionResult result = unitOfWork.getExecutionResult();
    return result != null && result.isExceptionResult()
        ? result.getExceptionResult()
        : UNKNOWN_ROLLBACK;
  }
}
