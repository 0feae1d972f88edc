package io.ledgerline.platform.web.openapi;

import java.util.List;

/**
 * Kinds of problem a service documents. platform-web contributes the ones every service shares;
 * each service declares a bean with its own, which {@link ApiProblems} then names.
 */
@FunctionalInterface
public interface ProblemCatalog {

  List<ProblemType> types();

  static ProblemCatalog of(ProblemType... types) {
    List<ProblemType> list = List.of(types);
    return () -> list;
  }
}
