package io.ledgerline.query.projection;

import io.ledgerline.query.projection.Projector.BatchResult;
import java.io.IOException;
import java.util.List;

/**
 * A read model that can be built again from the event store alone: everything its documents hold
 * comes from the events, so a replay in position order into a new index gives what the live
 * projection gave (see the rebuild package).
 */
public interface Rebuildable {

  /** The projection's stable name, as in {@code POST /admin/rebuilds}. */
  String name();

  /** The index behind the projection's alias, and the definition a new one is created from. */
  ReadModelIndex index();

  /** Whether this projection writes anything for the given event. */
  boolean handles(Record event);

  /**
   * Writes a batch's effect into {@code target}, an alias or a physical index, exactly as the live
   * projection writes it into its own; a write repeated over the same events changes nothing.
   */
  BatchResult writeTo(String target, List<LedgerEventRecord> events) throws IOException;

  /**
   * How many batches a rebuild may write at the same time: 1 (in order) for a projection that folds
   * a batch into what the batches before it stored; more only when no document depends on another
   * batch's.
   */
  default int concurrentWrites() {
    return 1;
  }
}
