package io.plainroute.netns;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A platform thread that lives in one network namespace and runs the work handed to it, one
 * task at a time. Namespaces belong to threads ({@code setns}), so all that must happen inside
 * one (opening sockets, writing {@code /proc/sys/net}) runs here. Unlike a thread pool, it is
 * never replaced by a thread that did not enter the namespace; it is a platform thread because
 * a virtual thread may change carrier between calls.
 *
 */
public final class NamespaceThread {

  /** Work that may throw one kind of checked exception. */
  @FunctionalInterface
  public interface Task<T, E extends Exception> {
    T run() throws E;
  }

  private static final Runnable STOP = () -> { };

  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final Thread thread;
  private boolean stopping;

  private NamespaceThread(NetworkNamespace namespace, CompletableFuture<Void> entered) {
    this.thread = new Thread(() -> run(namespace, entered), "netns " + namespace.path().map(Object::toString).orElse("current"));
    thread.setDaemon(true);
  }

  /** Starts a thread inside the namespace; fails when the thread cannot enter it. */
  public static NamespaceThread start(NetworkNamespace namespace) throws NamespaceException {
    CompletableFuture<Void> entered = new CompletableFuture<>();
    NamespaceThread namespaceThread = new NamespaceThread(namespace, entered);
    namespaceThread.thread.start();
    try {
      entered.join();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof NamespaceException cause) {
        throw cause;
      }
      throw e;
    }
    return namespaceThread;
  }

  /** Queues work for the thread. */
  public synchronized <T> Future<T> submit(Callable<T> work) {
    if (stopping) {
      throw new RejectedExecutionException("the namespace thread " + thread.getName() + " is stopped");
    }
    FutureTask<T> task = new FutureTask<>(work);
    tasks.add(task);
    return task;
  }

  /**
   * Runs the task on the thread and waits for it; runs it at once when called from the thread
   * itself, so that tasks can call one another.
   */
  public <T, E extends Exception> T call(Task<T, E> task) throws E {
    if (Thread.currentThread() == thread) {
      return task.run();
    }
    Future<T> future = submit(task::run);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          // Kernel calls are short and time out: finish this one rather than leave the
          // socket in the middle of an exchange, and keep the interrupt for the caller.
          interrupted = true;
        } catch (ExecutionException e) {
          throw NamespaceThread.<E>rethrow(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Lets queued tasks finish, then ends the thread; later submissions are refused. */
  public synchronized void stop() {
    if (!stopping) {
      stopping = true;
      tasks.add(STOP);
    }
  }

  private void run(NetworkNamespace namespace, CompletableFuture<Void> entered) {
    try {
      namespace.enter();
    } catch (NamespaceException | RuntimeException e) {
      entered.completeExceptionally(e);
      return;
    }
    entered.complete(null);
    while (true) {
      Runnable task;
      try {
        task = tasks.take();
      } catch (InterruptedException e) {
        // Nobody else knows this thread: an interrupt can only mean the JVM is going down.
        return;
      }
      if (task == STOP) {
        return;
      }
      task.run();
    }
  }

  /** The task can throw only E or unchecked exceptions, so a checked cause is an E. */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Throwable cause) {
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return (E) cause;
  }
}
