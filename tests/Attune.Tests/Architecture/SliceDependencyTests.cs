using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using Attune.Tests.Support;
using Xunit.Abstractions;

namespace Attune.Tests.Architecture;

/// <summary>
/// The slices' allowed directions (docs/architecture.md): features → Infrastructure → Data, and no
/// two features in a cycle. The graph is read twice: from the source (every <c>using
/// Attune.Features.X</c> and fully-qualified <c>Attune.Features.X.</c> in a feature's .cs and .cshtml
/// files) and from the compiled app (every type a feature's code touches: base types, fields,
/// signatures, locals and the operands of each method body's IL, Razor views included), so neither a
/// stray <c>using</c> nor a reference hidden behind <c>var</c> escapes.
/// </summary>
public sealed partial class SliceDependencyTests(ITestOutputHelper output)
{
    private static readonly Assembly App = typeof(Program).Assembly;
    private static readonly string Features = Path.Combine(Repository.Root, "src", "Attune", "Features");

    [Fact]
    public void NoTwoFeaturesReferenceEachOther_InAnyCycle()
    {
        var graph = new Graph();
        foreach (var (from, to, why) in SourceEdges().Concat(CompiledEdges()))
            if (IsFeature(from) && IsFeature(to) && from != to) graph.Add(from, to, why);

        output.WriteLine(graph.Describe());
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0,
            "Features in a cycle (each edge with one example of why):\n" + string.Join("\n\n", cycles.Select(graph.Explain)));
    }

    [Fact]
    public void InfrastructureAndData_ReferenceNoFeature()
    {
        var wrong = CompiledEdges()
            .Where(e => (e.From == "Infrastructure" || e.From == "Data") && IsFeature(e.To))
            .Select(e => $"{e.From} → {e.To}: {e.Why}")
            .Distinct().Order().ToList();
        Assert.True(wrong.Count == 0, "Infrastructure and Data must not know the features:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void TheGraph_SeesAKnownReference()
    {
        // The reading itself can fail silently (a renamed folder, a namespace the regex misses): a
        // reference that must be there proves both readers still work.
        var compiled = CompiledEdges().ToList();
        Assert.Contains(compiled, e => e.From == "Journal" && e.To == "Infrastructure");
        Assert.Contains(compiled, e => e.From == "Circle" && e.To == "Account");
        Assert.Contains(SourceEdges(), e => e.From == "Circle" && e.To == "Account");
    }

    private static bool IsFeature(string slice) => slice is not ("Infrastructure" or "Data" or "Composition" or "" or "Shared");

    // ---- source: using lines and qualified names -------------------------------------------------

    private static IEnumerable<(string From, string To, string Why)> SourceEdges()
    {
        var slices = Directory.GetDirectories(Features).Select(Path.GetFileName).ToHashSet();
        foreach (var dir in Directory.GetDirectories(Features))
        {
            var from = Path.GetFileName(dir);
            foreach (var file in Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
                         .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal)))
            {
                var lineNo = 0;
                foreach (var line in File.ReadLines(file))
                {
                    lineNo++;
                    var code = line.TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal) || code.StartsWith("///", StringComparison.Ordinal)) continue;
                    foreach (Match m in FeatureName().Matches(line))
                        if (slices.Contains(m.Groups[1].Value))
                            yield return (from, m.Groups[1].Value, $"{Path.GetRelativePath(Features, file)}:{lineNo} {code}");
                }
            }
        }
    }

    [GeneratedRegex(@"\bAttune\.Features\.([A-Z][A-Za-z0-9]*)")]
    private static partial Regex FeatureName();

    // ---- compiled: every type each type touches --------------------------------------------------

    private static readonly Lazy<List<(string From, string To, string Why)>> Compiled = new(ReadCompiled);

    private static List<(string From, string To, string Why)> CompiledEdges() => Compiled.Value;

    private static List<(string From, string To, string Why)> ReadCompiled()
    {
        var edges = new HashSet<(string, string, string)>();
        foreach (var type in App.GetTypes())
        {
            var from = SliceOf(type);
            if (from is null) continue;
            foreach (var used in Touches(type))
            {
                var to = SliceOf(used);
                if (to is null || to == from) continue;
                edges.Add((from, to, $"{Name(type)} uses {Name(used)}"));
            }
        }
        return [.. edges];
    }

    /// <summary>The slice a type belongs to: the folder under Features, or Infrastructure/Data/Composition.</summary>
    private static string? SliceOf(Type type)
    {
        while (type.IsNested) type = type.DeclaringType!;
        if (type.Assembly != App) return null;
        var ns = type.Namespace ?? "";
        if (ns == "AspNetCoreGeneratedDocument")
        {
            // Razor views compile to e.g. Features_Circle_Thread; a view at the root is Features_Error.
            var parts = type.Name.Split('_');
            return parts.Length > 2 && parts[0] == "Features" ? parts[1] : "";
        }
        var seg = ns.Split('.');
        if (seg.Length < 2 || seg[0] != "Attune") return "";
        if (seg[1] == "Features") return seg.Length > 2 ? seg[2] : "";
        return seg[1];
    }

    private static string Name(Type t) => (t.DeclaringType is { } outer ? Name(outer) + "." : "") + t.Name;

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static HashSet<Type> Touches(Type type)
    {
        var seen = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericParameter) return;
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                foreach (var a in t.GetGenericArguments()) Add(a);
                t = t.GetGenericTypeDefinition();
            }
            seen.Add(t);
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var a in type.GetCustomAttributesData()) Add(a.AttributeType);
        foreach (var f in type.GetFields(All)) Add(f.FieldType);
        foreach (var p in type.GetProperties(All)) Add(p.PropertyType);
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) Add(mi.ReturnType);
            foreach (var p in m.GetParameters()) Add(p.ParameterType);
            MethodBody? body;
            try { body = m.GetMethodBody(); }
            catch (BadImageFormatException) { continue; }
            if (body is null) continue;
            foreach (var l in body.LocalVariables) Add(l.LocalType);
            foreach (var used in IlOperands(m, body.GetILAsByteArray() ?? [])) Add(used);
        }
        return seen;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The types named by the tokens in one method body's IL (types, methods, fields).</summary>
    private static IEnumerable<Type> IlOperands(MethodBase method, byte[] il)
    {
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE) value = (short)(0xFE00 | il[i++]);
            if (!OpCodesByValue.TryGetValue(value, out var op)) yield break;
            switch (op.OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    i += 4;
                    MemberInfo? member = null;
                    try { member = module.ResolveMember(token, typeArgs, methodArgs); }
                    catch (ArgumentException) { }
                    catch (TypeLoadException) { }
                    catch (FileNotFoundException) { }
                    switch (member)
                    {
                        case Type t: yield return t; break;
                        case MethodBase mb:
                            if (mb.DeclaringType is { } dt) yield return dt;
                            if (mb is MethodInfo { IsGenericMethod: true } gm)
                                foreach (var a in gm.GetGenericArguments()) yield return a;
                            break;
                        case FieldInfo fi:
                            if (fi.DeclaringType is { } ft) yield return ft;
                            yield return fi.FieldType;
                            break;
                    }
                    break;
                default: i += 4; break; // InlineBrTarget, InlineI, InlineString, InlineSig, ShortInlineR
            }
        }
    }

    // ---- the graph -------------------------------------------------------------------------------

    private sealed class Graph
    {
        private readonly SortedDictionary<string, SortedDictionary<string, string>> edges = new(StringComparer.Ordinal);

        public void Add(string from, string to, string why)
        {
            if (!edges.TryGetValue(from, out var outs)) edges[from] = outs = new(StringComparer.Ordinal);
            outs.TryAdd(to, why);
            if (!edges.ContainsKey(to)) edges[to] = new(StringComparer.Ordinal);
        }

        public string Describe() => string.Join("\n", edges.Select(e => $"{e.Key} → {string.Join(", ", e.Value.Keys)}"))
            + $"\n{edges.Sum(e => e.Value.Count)} edges among {edges.Count} features";

        /// <summary>Strongly connected components with more than one feature (Tarjan).</summary>
        public List<List<string>> Cycles()
        {
            var index = new Dictionary<string, int>();
            var low = new Dictionary<string, int>();
            var stack = new Stack<string>();
            var onStack = new HashSet<string>();
            var result = new List<List<string>>();
            var next = 0;

            void Visit(string v)
            {
                index[v] = low[v] = next++;
                stack.Push(v);
                onStack.Add(v);
                foreach (var w in edges[v].Keys)
                {
                    if (!index.TryGetValue(w, out var wIndex)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                    else if (onStack.Contains(w)) low[v] = Math.Min(low[v], wIndex);
                }
                if (low[v] != index[v]) return;
                var component = new List<string>();
                string x;
                do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
                if (component.Count > 1) result.Add(component);
            }

            foreach (var v in edges.Keys)
                if (!index.ContainsKey(v)) Visit(v);
            return result;
        }

        public string Explain(List<string> component) => string.Join("\n", component
            .SelectMany(a => edges[a].Where(e => component.Contains(e.Key)).Select(e => $"{a} → {e.Key}: {e.Value}")));
    }
}
