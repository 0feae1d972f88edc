package io.ledgerline.infra.localstack;

import java.io.PrintStream;

/** What the stack tells its user while it works. */
final class Log {

  private final PrintStream out;
  private final long started = System.nanoTime();

  Log(PrintStream out) {
    this.out = out;
  }

  void step(String message) {
    out.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, message);
    out.flush();
  }

  void line(String message) {
    out.println(message);
    out.flush();
  }
}
