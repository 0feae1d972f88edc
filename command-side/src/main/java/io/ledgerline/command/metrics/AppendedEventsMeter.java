package io.ledgerline.command.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Counts the events appended to the store ({@code ledgerline.events.appended}), once their
 * transaction committed: a command that rolls back appended nothing.
 */
@Component
class AppendedEventsMeter {

  // Registered on the store itself: Axon would put an interceptor bean on the event gateway only,
  // which the aggregates' events never pass.
  AppendedEventsMeter(EventStore eventStore, CommandMeters meters) {
    eventStore.registerDispatchInterceptor(new Counting(meters));
  }

  private record Counting(CommandMeters meters)
      implements MessageDispatchInterceptor<EventMessage<?>> {

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(
        List<? extends EventMessage<?>> events) {
      Map<String, Integer> byType = new HashMap<>();
      for (EventMessage<?> event : events) {
        byType.merge(event.getPayloadType().getSimpleName(), 1, Integer::sum);
      }
      if (CurrentUnitOfWork.isStarted()) {
        CurrentUnitOfWork.get().afterCommit(u -> byType.forEach(meters::eventsAppended));
      } else {
        byType.forEach(meters::eventsAppended);
      }
      return (index, event) -> event;
    }
  }
}
