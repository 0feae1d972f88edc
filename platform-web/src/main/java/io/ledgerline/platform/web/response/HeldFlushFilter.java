package io.ledgerline.platform.web.response;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.boot.web.servlet.filter.OrderedFilter;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets an answer written while its handler runs leave in one write, with a {@code Content-Length}:
 * flushes during the request's own dispatch are held back until it returns.
 *
 * <p>Spring's JSON converter flushes after every body it writes. That made Tomcat commit the
 * response there and then: headers and body as one chunk, then the closing chunk, two socket writes
 * per answer (7 % of the query side's CPU while it served {@code GET /accounts/{id}}; a system call
 * is dear on these virtual machines). A response Tomcat still holds whole when the request ends is
 * sent with its length in one write. Nothing waits longer than before: a body larger than Tomcat's
 * buffer still goes out as it is written, and an asynchronous answer (a server-sent event feed, the
 * NDJSON export) flushes freely once it has started: from then on other threads write to the
 * response, and a flush held for them, or made for them from the request thread, would delay or
 * race their writes. A flush held before that goes out with the answer's next flush.
 */
public class HeldFlushFilter extends OncePerRequestFilter implements OrderedFilter {

  /** Outside everything that writes a body. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    HeldFlushResponse held = new HeldFlushResponse(request, response);
    try {
      chain.doFilter(request, held);
    } finally {
      held.release();
    }
  }

  /** A response whose flushes wait until {@link #release} or an asynchronous start. */
  static final class HeldFlushResponse extends HttpServletResponseWrapper {

    private final HttpServletRequest request;
    private volatile boolean holding = true;
    private HeldFlushStream stream;

    HeldFlushResponse(HttpServletRequest request, HttpServletResponse response) {
      super(response);
      this.request = request;
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() throws IOException {
      if (stream == null) {
        stream = new HeldFlushStream(super.getOutputStream());
      }
      return stream;
    }

    @Override
    public void flushBuffer() throws IOException {
      if (!holdFlush()) {
        super.flushBuffer();
      }
    }

    /** True when the flush is held: the dispatch is running and has not gone asynchronous. */
    private boolean holdFlush() {
      return holding && !request.isAsyncStarted();
    }

    /** Lets flushes through from now on; Tomcat sends what is held when the request ends. */
    void release() {
      holding = false;
    }

    private final class HeldFlushStream extends ServletOutputStream {
      private final ServletOutputStream target;

      HeldFlushStream(ServletOutputStream target) {
        this.target = target;
      }

      @Override
      public void write(int b) throws IOException {
        target.write(b);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        target.write(bytes, offset, length);
      }

      @Override
      public void flush() throws IOException {
        if (!holdFlush()) {
          target.flush();
        }
      }

      @Override
      public void close() throws IOException {
        target.close();
      }

      @Override
      public boolean isReady() {
        return target.isReady();
      }

      @Override
      public void setWriteListener(WriteListener listener) {
        target.setWriteListener(listener);
      }
    }
  }
}
