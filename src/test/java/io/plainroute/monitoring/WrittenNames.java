package io.plainroute.monitoring;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Every condition type, condition/status reason, Event reason and metric name that the code under
 * {@code src/main/java} can write, found by compiling it (javac's own tree API, attributed, so
 * names resolve to the methods they call and constants to their values) — not by grepping, so a
 * reason in a constant of another class, behind a ternary, or in a local variable is found too.
 *
 * <p>What counts as writing a reason: an argument for a parameter named {@code reason} of any
 * method or constructor in the code (ConditionList.set, EventRecorder.record, Part.ok/failed, a
 * record {@code Conflict(reason, message)}, an UnreachablePeer's reason...), or the argument of a
 * fabric8 builder's {@code withReason}/{@code setReason}. It is an Event reason when the same call
 * has an argument of an enum type with a constant {@code Warning} (an Event type), a condition or
 * status reason otherwise. A condition type is a String parameter named {@code type} of such a
 * call without an Event type, or the argument of {@code withType} on a {@code *Condition*} builder.
 * Reasons written by key are found too: the value after a {@code "reason"} argument
 * ({@code Map.of("reason", R)}, {@code node.put("reason", R)}) and {@code "reason":"R"} in a JSON text.
 * Arguments that are parameters or method results pass a value on that was collected where it was
 * made. A metric is the first argument of Micrometer's {@code Counter/Gauge/Timer/...builder}.
 */
final class WrittenNames {
  private static final Pattern JSON_REASON = Pattern.compile("\"reason\"\\s*:\\s*\"(\\w+)\"");
  private static final Set<String> METER_TYPES = Set.of("Counter", "Gauge", "Timer", "DistributionSummary", "LongTaskTimer",
      "FunctionCounter", "FunctionTimer", "TimeGauge");

  /** A name and where the code writes it ("agent/NodeDataplane.java:88"). */
  record Found(Map<String, Set<String>> conditionTypes, Map<String, Set<String>> conditionReasons,
      Map<String, Set<String>> eventReasons, Map<String, Set<String>> meters) {}

  private final Map<String, Set<String>> conditionTypes = new TreeMap<>();
  private final Map<String, Set<String>> conditionReasons = new TreeMap<>();
  private final Map<String, Set<String>> eventReasons = new TreeMap<>();
  private final Map<String, Set<String>> meters = new TreeMap<>();
  /** Local variables and fields with what is assigned to them, to follow a name to its values. */
  private final Map<Element, List<TreePath>> assigned = new HashMap<>();
  /** The arguments each method or constructor of the code is called with, to follow a parameter. */
  private final Map<Element, List<List<TreePath>>> callSites = new HashMap<>();
  /** What each method of the code returns, to follow a call. */
  private final Map<Element, List<TreePath>> returns = new HashMap<>();

  private static final Map<Path, Found> SCANNED = new HashMap<>();

  /** Compiling takes seconds: the tests that ask share one scan per source tree. */
  static synchronized Found in(Path sourceRoot) {
    return SCANNED.computeIfAbsent(sourceRoot.toAbsolutePath(), root -> new WrittenNames().scan(sourceRoot));
  }

  private Found scan(Path sourceRoot) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sourceRoot)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, null)) {
      List<String> options = List.of("-proc:none", "-classpath", System.getProperty("java.class.path"), "-d",
          Files.createTempDirectory("plainroute-names").toString());
      JavacTask task = (JavacTask) compiler.getTask(null, fileManager, null, options, null,
          fileManager.getJavaFileObjectsFromPaths(files));
      List<CompilationUnitTree> units = new ArrayList<>();
      task.parse().forEach(units::add);
      task.analyze();
      Trees trees = Trees.instance(task);
      for (CompilationUnitTree unit : units) {
        new Assignments(trees).scan(unit, null);
      }
      for (CompilationUnitTree unit : units) {
        new Writes(trees, sourceRoot).scan(unit, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Found(conditionTypes, conditionReasons, eventReasons, meters);
  }

  /** Visits every method call and constructor call with what it resolves to. */
  private abstract static class CallScanner extends TreePathScanner<Void, Void> {
    final Trees trees;

    CallScanner(Trees trees) {
      this.trees = trees;
    }

    abstract void call(Element method, List<? extends ExpressionTree> arguments);

    @Override
    public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
      call(trees.getElement(getCurrentPath()), node.getArguments());
      return super.visitMethodInvocation(node, unused);
    }

    @Override
    public Void visitNewClass(NewClassTree node, Void unused) {
      call(trees.getElement(getCurrentPath()), node.getArguments());
      return super.visitNewClass(node, unused);
    }
  }

  /**
   * First pass: what each variable is given, each method called with and each method returns, so
   * that {@code String r = ok ? "A" : "B"}, a helper's parameter and an {@code Optional.of(X)}
   * returned by a helper all lead back to their constants.
   */
  private final class Assignments extends CallScanner {
    Assignments(Trees trees) {
      super(trees);
    }

    @Override
    public Void visitVariable(VariableTree node, Void unused) {
      if (node.getInitializer() != null) {
        record(trees.getElement(getCurrentPath()), new TreePath(getCurrentPath(), node.getInitializer()));
      }
      return super.visitVariable(node, unused);
    }

    @Override
    public Void visitAssignment(AssignmentTree node, Void unused) {
      record(trees.getElement(new TreePath(getCurrentPath(), node.getVariable())), new TreePath(getCurrentPath(), node.getExpression()));
      return super.visitAssignment(node, unused);
    }

    @Override
    public Void visitReturn(ReturnTree node, Void unused) {
      for (TreePath p = getCurrentPath().getParentPath(); p != null && node.getExpression() != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof LambdaExpressionTree) {
          break;
        }
        if (p.getLeaf() instanceof MethodTree) {
          returns.computeIfAbsent(trees.getElement(p), m -> new ArrayList<>()).add(new TreePath(getCurrentPath(), node.getExpression()));
          break;
        }
      }
      return super.visitReturn(node, unused);
    }

    @Override
    void call(Element method, List<? extends ExpressionTree> arguments) {
      if (method != null) {
        callSites.computeIfAbsent(method, m -> new ArrayList<>())
            .add(arguments.stream().map(a -> new TreePath(getCurrentPath(), a)).toList());
      }
    }

    private void record(Element variable, TreePath value) {
      if (variable != null) {
        assigned.computeIfAbsent(variable, v -> new ArrayList<>()).add(value);
      }
    }
  }

  /** Second pass: calls that write a reason, a condition type or a metric name. */
  private final class Writes extends CallScanner {
    private final Path sourceRoot;

    Writes(Trees trees, Path sourceRoot) {
      super(trees);
      this.sourceRoot = sourceRoot;
    }

    @Override
    void call(Element element, List<? extends ExpressionTree> arguments) {
      // Keyed writes, e.g. Map.of("type", T, "reason", R) or objectNode.put("reason", R).
      for (int i = 0; i + 1 < arguments.size(); i++) {
        if (arguments.get(i) instanceof LiteralTree key && "reason".equals(key.getValue())) {
          add(conditionReasons, arguments.get(i + 1));
        }
      }
      if (!(element instanceof ExecutableElement method) || method.getParameters().size() != arguments.size()) {
        return; // unresolved, or varargs (no reason-writing method of ours has them)
      }
      String name = method.getSimpleName().toString();
      String owner = method.getEnclosingElement().getSimpleName().toString();
      if (name.equals("builder") && METER_TYPES.contains(owner) && !arguments.isEmpty()) {
        // As Prometheus shows them: Micrometer adds _total to counters and _seconds to timers.
        add(meters, arguments.get(0), owner.endsWith("Counter") ? "_total" : owner.endsWith("Timer") ? "_seconds" : "");
        return;
      }
      if (arguments.size() == 1 && (name.equals("withReason") || name.equals("setReason"))) {
        add(owner.contains("Event") ? eventReasons : conditionReasons, arguments.get(0));
        return;
      }
      if (arguments.size() == 1 && name.equals("withType") && owner.contains("Condition")) {
        add(conditionTypes, arguments.get(0));
        return;
      }
      boolean event = method.getParameters().stream().anyMatch(p -> isEventType(p.asType()));
      for (int i = 0; i < arguments.size(); i++) {
        VariableElement parameter = method.getParameters().get(i);
        String parameterName = parameter.getSimpleName().toString();
        if (parameterName.equals("reason")) {
          add(event ? eventReasons : conditionReasons, arguments.get(i));
        } else if (parameterName.equals("type") && !event && parameter.asType().toString().equals("java.lang.String")
            && method.getParameters().stream().anyMatch(p -> p.getSimpleName().contentEquals("reason"))) {
          add(conditionTypes, arguments.get(i));
        }
      }
    }

    /** A reason inside a JSON text in the code, e.g. a patch {@code {"reason":"X"}}. */
    @Override
    public Void visitLiteral(LiteralTree node, Void unused) {
      if (node.getValue() instanceof String text) {
        Matcher json = JSON_REASON.matcher(text);
        while (json.find()) {
          conditionReasons.computeIfAbsent(json.group(1), v -> new TreeSet<>()).add(location(node));
        }
      }
      return super.visitLiteral(node, unused);
    }

    private static boolean isEventType(TypeMirror type) {
      return type instanceof DeclaredType declared && declared.asElement() instanceof TypeElement element
          && element.getKind() == ElementKind.ENUM
          && element.getEnclosedElements().stream().anyMatch(e -> e.getKind() == ElementKind.ENUM_CONSTANT
              && e.getSimpleName().contentEquals("Warning"));
    }

    private void add(Map<String, Set<String>> into, ExpressionTree argument) {
      add(into, argument, "");
    }

    private void add(Map<String, Set<String>> into, ExpressionTree argument, String suffix) {
      String where = location(argument);
      for (String value : values(new TreePath(getCurrentPath(), argument), new HashSet<>())) {
        into.computeIfAbsent(value + suffix, v -> new TreeSet<>()).add(where);
      }
    }

    /**
     * The constant values an expression can have, followed through variables, parameters (to the
     * arguments of every call), methods of the code (to what they return) and Optional; nothing
     * for a value read from an object (a record's accessor), which is collected where it was made.
     */
    private List<String> values(TreePath path, Set<Element> seen) {
      ExpressionTree expression = (ExpressionTree) path.getLeaf();
      if (expression instanceof ParenthesizedTree p) {
        return values(new TreePath(path, p.getExpression()), seen);
      }
      if (expression instanceof ConditionalExpressionTree c) {
        List<String> both = new ArrayList<>(values(new TreePath(path, c.getTrueExpression()), seen));
        both.addAll(values(new TreePath(path, c.getFalseExpression()), seen));
        return both;
      }
      if (expression instanceof LiteralTree literal) {
        return literal.getValue() instanceof String s ? List.of(s) : List.of();
      }
      Element element = trees.getElement(path);
      List<String> all = new ArrayList<>();
      if (element instanceof VariableElement variable && seen.add(variable)) {
        if (variable.getConstantValue() instanceof String constant) {
          return List.of(constant);
        }
        if (variable.getKind() == ElementKind.PARAMETER && variable.getEnclosingElement() instanceof ExecutableElement method) {
          int index = method.getParameters().indexOf(variable);
          for (List<TreePath> arguments : callSites.getOrDefault(method, List.of())) {
            if (index >= 0 && index < arguments.size()) {
              all.addAll(values(arguments.get(index), seen));
            }
          }
        }
        assigned.getOrDefault(variable, List.of()).forEach(value -> all.addAll(values(value, seen)));
      } else if (element instanceof ExecutableElement method && expression instanceof MethodInvocationTree call) {
        String name = method.getSimpleName().toString();
        String owner = method.getEnclosingElement().getSimpleName().toString();
        if (owner.equals("Optional") && (name.equals("of") || name.equals("ofNullable"))) {
          call.getArguments().forEach(a -> all.addAll(values(new TreePath(path, a), seen)));
        } else if (owner.equals("Optional") && call.getMethodSelect() instanceof MemberSelectTree select) {
          // get(), orElse(x), orElseThrow(): what the Optional holds, and the fallback.
          all.addAll(values(new TreePath(new TreePath(path, select), select.getExpression()), seen));
          call.getArguments().forEach(a -> all.addAll(values(new TreePath(path, a), seen)));
        }
        if (seen.add(method)) {
          returns.getOrDefault(method, List.of()).forEach(value -> all.addAll(values(value, seen)));
        }
      }
      return all;
    }

    private String location(Tree tree) {
      CompilationUnitTree unit = getCurrentPath().getCompilationUnit();
      long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, tree));
      return sourceRoot.toAbsolutePath().relativize(Path.of(unit.getSourceFile().toUri())) + ":" + line;
    }
  }
}
