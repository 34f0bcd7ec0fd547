using System.Runtime.CompilerServices;

namespace Matchmaker.Core.Scheduling;

/// <summary>
/// Max-weight bipartite b-matching with soft floors on the left side, as a min-cost flow solved by successive shortest
/// paths with potentials (Dijkstra). Network: every left node L supplies cap(L) units; a unit leaves either through a
/// pair arc (cost −gain, capacity 1) to a right node and on to the sink (capacity cap(R)), or straight to the sink as
/// "unused" (cost 0 for the first cap−floor units, +penalty for the floor units). Units are routed one left node at a
/// time; each Dijkstra stops as soon as the sink is settled (the left node's own "unused" arc bounds the search), which
/// keeps searches local. Integer costs keep reduced costs exact.
/// </summary>
internal sealed class BMatching
{
    private readonly int _nl, _nr, _sink;
    private readonly int[] _arcStart, _arcRight;
    private readonly long[] _gain;
    private readonly int[] _lcap, _rcap;
    private readonly long _penalty;
    private readonly int[] _cap0, _cap1, _f0, _f1, _load;
    private readonly bool[] _flow;
    private readonly int[][] _matched;   // per right node: arcs carrying flow
    private readonly int[] _matchedCount;
    private readonly int[] _arcLeft;
    private readonly long[] _pi, _dist;
    private readonly int[] _parentArc, _heap, _heapPos, _touched;
    private readonly bool[] _done;
    private int _touchedCount, _heapCount;
    private int _sinkVia;      // node from which the sink was reached
    private int _sinkKind;     // 0 = from right node, 1 = unused tier 0, 2 = unused tier 1 (floor)
    private readonly bool _sortedByGain;
    private long _piRightMax;  // upper bound on every right node's potential (potentials only ever decrease)
    private int _runs;

    /// <param name="arcStart">CSR offsets over arcs grouped by left node (length nl+1).</param>
    /// <param name="arcRight">Right node of each arc.</param>
    /// <param name="gain">Gain of each arc (≥ 0), integer-scaled.</param>
    /// <param name="leftCap">Most arcs per left node.</param>
    /// <param name="leftFloor">Soft floor per left node (≤ leftCap); each missing unit costs <paramref name="penalty"/>.</param>
    /// <param name="rightCap">Most arcs per right node.</param>
    /// <param name="sortedByGain">Arcs of each left node are sorted by gain, best first: enables pruning the scan.</param>
    public BMatching(int nl, int nr, int[] arcStart, int[] arcRight, long[] gain, int[] leftCap, int[] leftFloor, int[] rightCap, long penalty,
        bool sortedByGain = false)
    {
        _sortedByGain = sortedByGain;
        _nl = nl; _nr = nr; _sink = nl + nr;
        _arcStart = arcStart; _arcRight = arcRight; _gain = gain; _lcap = leftCap; _rcap = rightCap; _penalty = penalty;
        var m = arcRight.Length;
        _arcLeft = new int[m];
        for (var l = 0; l < nl; l++) for (var a = arcStart[l]; a < arcStart[l + 1]; a++) _arcLeft[a] = l;
        _cap0 = new int[nl]; _cap1 = new int[nl]; _f0 = new int[nl]; _f1 = new int[nl];
        for (var l = 0; l < nl; l++)
        {
            var fl = Math.Clamp(leftFloor[l], 0, leftCap[l]);
            _cap1[l] = fl; _cap0[l] = leftCap[l] - fl;
        }
        _load = new int[nr];
        _flow = new bool[m];
        _matched = new int[nr][];
        _matchedCount = new int[nr];
        for (var r = 0; r < nr; r++) _matched[r] = new int[Math.Max(0, Math.Min(rightCap[r], 64))];
        var n = nl + nr + 1;
        _pi = new long[n]; _dist = new long[n]; _parentArc = new int[n]; _done = new bool[n];
        _heap = new int[n]; _heapPos = new int[n]; _touched = new int[n];
        Array.Fill(_dist, long.MaxValue);
        Array.Fill(_heapPos, -1);
        // Initial potentials make every residual reduced cost non-negative: pi(R) = -max gain into R, pi(sink) = min.
        long minPi = 0;
        for (var a = 0; a < m; a++)
        {
            var r = nl + arcRight[a];
            if (-gain[a] < _pi[r]) _pi[r] = -gain[a];
        }
        for (var r = 0; r < nr; r++) minPi = Math.Min(minPi, _pi[nl + r]);
        _pi[_sink] = minPi;
        RefreshPiRightMax();
    }

    /// <summary>Which arcs carry flow after <see cref="Solve"/>.</summary>
    public bool[] Flow => _flow;

    /// <summary>Node potentials (duals) after <see cref="Solve"/>: left nodes first, then right nodes, then the sink.</summary>
    public long[] Potentials => _pi;

    /// <summary>
    /// Routes every unit; returns false if <paramref name="shouldStop"/> asked to stop early (the flow is then a valid
    /// but partial b-matching). Floor units of every left node go first, so a cut-off run still serves every floor.
    /// </summary>
    public bool Solve(Func<bool>? shouldStop = null)
    {
        for (var phase = 0; phase < 2; phase++)
        {
            for (var l = 0; l < _nl; l++)
            {
                var units = phase == 0 ? _cap1[l] : _lcap[l] - _cap1[l];
                while (units > 0)
                {
                    if (shouldStop is not null && (l & 63) == 0 && shouldStop()) return false;
                    Dijkstra(l);
                    // A unit that goes straight to the sink as "unused" leaves the rest of that tier straight there
                    // too: shortest-path lengths from one source never decrease, and that direct path keeps its length.
                    if (_sinkVia == l && _sinkKind != 0)
                    {
                        var k = _sinkKind == 1 ? Math.Min(units, _cap0[l] - _f0[l]) : Math.Min(units, _cap1[l] - _f1[l]);
                        if (_sinkKind == 1) _f0[l] += k; else _f1[l] += k;
                        units -= k;
                        Settle();
                        continue;
                    }
                    Augment(l);
                    Settle();
                    units--;
                }
            }
        }
        return true;
    }

    private void RefreshPiRightMax()
    {
        var m = long.MinValue;
        for (var r = 0; r < _nr; r++) m = Math.Max(m, _pi[_nl + r]);
        _piRightMax = _nr == 0 ? 0 : m;
    }

    private void Dijkstra(int source)
    {
        if ((++_runs & 255) == 0) RefreshPiRightMax();
        StartSearch(source);
        while (_heapCount > 0)
        {
            var u = SettleNext();
            var du = _dist[u];
            if (u == _sink) return;
            var piu = _pi[u];
            if (u < _nl)
            {
                // The "unused" arcs first: they give the sink a finite tentative distance to prune against.
                RelaxUnused(u, du, piu);
                RelaxPairArcs(u, du, piu, prune: _sortedByGain);
            }
            else RelaxFromRight(u, du, piu);
        }
        throw new InvalidOperationException("sink unreachable: the source's unused arc is always open");
    }

    /// <summary>A new shortest-path search from <paramref name="source"/> (<see cref="Settle(long)"/> cleared the last one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StartSearch(int source)
    {
        _touchedCount = 0;
        _heapCount = 0;
        Touch(source, 0, -1);
    }

    /// <summary>Takes the nearest node off the heap; its distance is final.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SettleNext()
    {
        var u = Pop();
        _done[u] = true;
        return u;
    }

    /// <summary>Left node u's two arcs to the sink: its "unused" units, free (tier 0) or at the shortfall penalty (tier 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RelaxUnused(int u, long du, long piu)
    {
        if (_f0[u] < _cap0[u]) RelaxSink(du + piu - _pi[_sink], u, 1);
        if (_f1[u] < _cap1[u]) RelaxSink(du + _penalty + piu - _pi[_sink], u, 2);
    }

    /// <summary>
    /// Left node u's pair arcs without flow. With <paramref name="prune"/> (arcs sorted best-first) the scan stops once
    /// no arc can beat the sink's tentative distance.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RelaxPairArcs(int u, long du, long piu, bool prune)
    {
        var cut = du + piu - _piRightMax; // + (-gain) = lower bound of any arc's tentative distance
        for (var a = _arcStart[u]; a < _arcStart[u + 1]; a++)
        {
            // Arcs come best-first: once even the cheapest right node cannot beat the sink's tentative
            // distance, no later arc can. Skipping them keeps potentials valid (d(u) + rc >= D).
            if (prune && cut - _gain[a] >= _dist[_sink]) break;
            if (_flow[a]) continue;
            var v = _nl + _arcRight[a];
            if (_done[v]) continue;
            var nd = du + (-_gain[a] + piu - _pi[v]);
            if (nd < _dist[v]) Touch(v, nd, a);
        }
    }

    /// <summary>Right node u's arc to the sink (a free unit of capacity) and the reverse arcs of the pairs matched there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RelaxFromRight(int u, long du, long piu)
    {
        var r = u - _nl;
        if (_load[r] < _rcap[r]) RelaxSink(du + piu - _pi[_sink], u, 0);
        var list = _matched[r];
        for (var i = 0; i < _matchedCount[r]; i++)
        {
            var a = list[i];
            var v = _arcLeft[a];
            if (_done[v]) continue;
            var nd = du + (_gain[a] + piu - _pi[v]);
            if (nd < _dist[v]) Touch(v, nd, a);
        }
    }

    private void RelaxSink(long nd, int via, int kind)
    {
        if (nd < _dist[_sink])
        {
            Touch(_sink, nd, -1);
            _sinkVia = via;
            _sinkKind = kind;
        }
    }

    private void Augment(int source)
    {
        var v = _sinkVia;
        if (_sinkKind == 0) _load[v - _nl]++;
        else if (_sinkKind == 1) _f0[v]++;
        else _f1[v]++;
        while (v != source)
        {
            var a = _parentArc[v];
            if (v >= _nl)
            {
                // Reached right node via a forward pair arc: the arc now carries flow.
                var r = v - _nl;
                _flow[a] = true;
                if (_matchedCount[r] == _matched[r].Length) Array.Resize(ref _matched[r], Math.Max(4, _matched[r].Length * 2));
                _matched[r][_matchedCount[r]++] = a;
                v = _arcLeft[a];
            }
            else
            {
                // Reached left node via a reverse pair arc: that left node gives the right node up.
                var r = _arcRight[a];
                _flow[a] = false;
                var list = _matched[r];
                for (var i = 0; i < _matchedCount[r]; i++)
                    if (list[i] == a) { list[i] = list[--_matchedCount[r]]; break; }
                v = _nl + r;
            }
        }
    }

    /// <summary>Updates potentials of settled nodes (pi += d − D) and resets the search state.</summary>
    private void Settle() => Settle(_dist[_sink]);

    private void Settle(long D)
    {
        for (var i = 0; i < _touchedCount; i++)
        {
            var v = _touched[i];
            if (_done[v] && _dist[v] < D) _pi[v] += _dist[v] - D;
            _dist[v] = long.MaxValue;
            _done[v] = false;
            _heapPos[v] = -1;
        }
        _touchedCount = 0;
        _heapCount = 0;
    }

    private void Touch(int v, long d, int arc)
    {
        if (_dist[v] == long.MaxValue && _heapPos[v] < 0 && !_done[v]) _touched[_touchedCount++] = v;
        _dist[v] = d;
        _parentArc[v] = arc;
        if (_heapPos[v] < 0) { _heapPos[v] = _heapCount; _heap[_heapCount++] = v; }
        SiftUp(_heapPos[v]);
    }

    private int Pop()
    {
        var top = _heap[0];
        _heapPos[top] = -2;
        var last = _heap[--_heapCount];
        if (_heapCount > 0) { _heap[0] = last; _heapPos[last] = 0; SiftDown(0); }
        return top;
    }

    // Ties broken by node index so the result does not depend on heap history.
    private bool Less(int a, int b) => _dist[a] < _dist[b] || (_dist[a] == _dist[b] && a < b);

    private void SiftUp(int i)
    {
        var v = _heap[i];
        while (i > 0)
        {
            var p = (i - 1) >> 1;
            if (!Less(v, _heap[p])) break;
            _heap[i] = _heap[p]; _heapPos[_heap[i]] = i; i = p;
        }
        _heap[i] = v; _heapPos[v] = i;
    }

    private void SiftDown(int i)
    {
        var v = _heap[i];
        while (true)
        {
            var c = 2 * i + 1;
            if (c >= _heapCount) break;
            if (c + 1 < _heapCount && Less(_heap[c + 1], _heap[c])) c++;
            if (!Less(_heap[c], v)) break;
            _heap[i] = _heap[c]; _heapPos[_heap[i]] = i; i = c;
        }
        _heap[i] = v; _heapPos[v] = i;
    }
    // ------------------------------------------------------------------ warm start (column generation)

    /// <summary>
    /// Starts from an optimal solve over a subset of these arcs (<paramref name="oldToNew"/> maps its arcs to ours):
    /// same flow, same potentials. Arcs new to this instance may have negative reduced cost; <see cref="FixNegativeArcs"/>
    /// repairs that with a few shortest paths instead of a solve from scratch.
    /// </summary>
    public void WarmStart(BMatching old, int[] oldToNew)
    {
        Array.Copy(old._pi, _pi, _pi.Length);
        Array.Copy(old._f0, _f0, _nl);
        Array.Copy(old._f1, _f1, _nl);
        Array.Copy(old._load, _load, _nr);
        for (var a = 0; a < oldToNew.Length; a++)
            if (old._flow[a]) { _flow[oldToNew[a]] = true; AddMatched(_arcRight[oldToNew[a]], oldToNew[a]); }
        RefreshPiRightMax();
    }

    /// <summary>
    /// Restores optimality after arcs with negative reduced cost appeared: saturate all of them (every residual arc is
    /// then non-negative), leaving one unit of excess at each arc's right node and a deficit at its left node; then
    /// send each excess along a shortest residual path (through the sink if need be) to the nearest deficit, updating
    /// potentials as usual. Returns the number of arcs saturated.
    /// </summary>
    public int FixNegativeArcs()
    {
        var excess = new List<int>();
        var deficit = new int[_nl];
        for (var l = 0; l < _nl; l++)
            for (var a = _arcStart[l]; a < _arcStart[l + 1]; a++)
            {
                if (_flow[a]) continue;
                var r = _arcRight[a];
                if (-_gain[a] + _pi[l] - _pi[_nl + r] >= 0) continue;
                _flow[a] = true;
                AddMatched(r, a);
                excess.Add(_nl + r);
                deficit[l]++;
            }
        foreach (var r in excess)
        {
            var target = DijkstraToDeficit(r, deficit);
            AugmentGeneral(r, target);
            deficit[target]--;
            Settle(_dist[target]);
        }
        RefreshPiRightMax();
        return excess.Count;
    }

    private void AddMatched(int r, int a)
    {
        if (_matchedCount[r] == _matched[r].Length) Array.Resize(ref _matched[r], Math.Max(4, _matched[r].Length * 2));
        _matched[r][_matchedCount[r]++] = a;
    }

    private void RemoveMatched(int r, int a)
    {
        var list = _matched[r];
        for (var i = 0; i < _matchedCount[r]; i++)
            if (list[i] == a) { list[i] = list[--_matchedCount[r]]; break; }
    }

    // Parent codes for nodes reached from the sink along reversed arcs.
    private const int FromSinkLoad = -2, FromSinkTier0 = -3, FromSinkTier1 = -4;

    /// <summary>Dijkstra over the whole residual graph (the sink is expanded too) until a left node with a deficit settles.</summary>
    private int DijkstraToDeficit(int source, int[] deficit)
    {
        StartSearch(source);
        while (_heapCount > 0)
        {
            var u = SettleNext();
            var du = _dist[u];
            var piu = _pi[u];
            if (u < _nl)
            {
                if (deficit[u] > 0) return u;
                RelaxPairArcs(u, du, piu, prune: false);
                RelaxUnused(u, du, piu);
            }
            else if (u < _sink) RelaxFromRight(u, du, piu);
            else
            {
                // Out of the sink: take back a buyer's unit, or an SME's "unused" unit (tier 1 refunds the penalty).
                for (var r = 0; r < _nr; r++)
                {
                    var v = _nl + r;
                    if (_load[r] == 0 || _done[v]) continue;
                    var nd = du + (piu - _pi[v]);
                    if (nd < _dist[v]) Touch(v, nd, FromSinkLoad);
                }
                for (var l = 0; l < _nl; l++)
                {
                    if (_done[l]) continue;
                    if (_f1[l] > 0) { var nd = du + (-_penalty + piu - _pi[l]); if (nd < _dist[l]) Touch(l, nd, FromSinkTier1); }
                    if (_f0[l] > 0) { var nd = du + (piu - _pi[l]); if (nd < _dist[l]) Touch(l, nd, FromSinkTier0); }
                }
            }
        }
        throw new InvalidOperationException("no path from an excess to a deficit: the saturated arc's reverse always is one");
    }

    private void AugmentGeneral(int source, int target)
    {
        var v = target;
        while (v != source)
        {
            if (v == _sink)
            {
                var x = _sinkVia;
                if (_sinkKind == 0) _load[x - _nl]++;
                else if (_sinkKind == 1) _f0[x]++;
                else _f1[x]++;
                v = x;
                continue;
            }
            var a = _parentArc[v];
            if (v < _nl)
            {
                if (a >= 0) { _flow[a] = false; RemoveMatched(_arcRight[a], a); v = _nl + _arcRight[a]; }
                else { if (a == FromSinkTier0) _f0[v]--; else _f1[v]--; v = _sink; }
            }
            else
            {
                if (a >= 0) { _flow[a] = true; AddMatched(v - _nl, a); v = _arcLeft[a]; }
                else { _load[v - _nl]--; v = _sink; }
            }
        }
    }
}
