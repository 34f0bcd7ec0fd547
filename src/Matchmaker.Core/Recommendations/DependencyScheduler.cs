namespace Matchmaker.Core.Recommendations;

/// <summary>
/// Runs a sequence of blocks on threads with a result identical to running them one by one in order: a
/// block starts only when the previous block in the order sharing its row band and the previous one sharing its
/// column band have finished. Conflicting blocks thus always run in order; only independent ones overlap, and
/// thread timing cannot change the factors (LIBMF's scheduler hands out any free block, which is not reproducible).
/// </summary>
internal sealed class DependencyScheduler
{
    private readonly BlockGrid _grid;
    private readonly int[] _order;
    private readonly Action<int> _runBlock;
    private readonly int[] _afterRow, _afterColumn;
    private readonly bool[] _started, _done;
    private readonly object _gate = new(); // not Lock: Monitor.Wait/PulseAll need a monitor object
    private int _firstNotStarted;

    /// <param name="runBlock">Runs one block of the grid (once for each entry of <paramref name="order"/>).</param>
    public DependencyScheduler(BlockGrid grid, int[] order, Action<int> runBlock)
    {
        _grid = grid;
        _order = order;
        _runBlock = runBlock;
        _afterRow = new int[order.Length];
        _afterColumn = new int[order.Length];
        var lastRow = new int[grid.Bins];
        var lastColumn = new int[grid.Bins];
        Array.Fill(lastRow, -1);
        Array.Fill(lastColumn, -1);
        for (var x = 0; x < order.Length; x++)
        {
            var row = grid.RowBand(order[x]);
            var col = grid.ColumnBand(order[x]);
            _afterRow[x] = lastRow[row];
            _afterColumn[x] = lastColumn[col];
            lastRow[row] = x;
            lastColumn[col] = x;
        }
        _started = new bool[order.Length];
        _done = new bool[order.Length];
    }

    public void Run(int threads)
    {
        var workers = new Thread[threads - 1];
        for (var t = 0; t < workers.Length; t++)
        {
            workers[t] = new Thread(Work) { IsBackground = true };
            workers[t].Start();
        }
        Work();
        foreach (var w in workers) w.Join();
    }

    private void Work()
    {
        while (true)
        {
            int position;
            lock (_gate)
            {
                while ((position = NextReady()) < 0)
                {
                    if (_firstNotStarted >= _order.Length) return;
                    // blocks are short (~1 ms): a brief timed wait keeps a descheduled wake-up from costing a
                    // whole time slice on a busy machine
                    Monitor.Wait(_gate, 1);
                }
                _started[position] = true;
                while (_firstNotStarted < _order.Length && _started[_firstNotStarted]) _firstNotStarted++;
            }
            _runBlock(_order[position]);
            lock (_gate)
            {
                _done[position] = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private int NextReady()
    {
        // look a little ahead only: the next ready block is almost always within one epoch of the front
        var end = Math.Min(_order.Length, _firstNotStarted + 2 * _grid.Bins * _grid.Bins);
        for (var x = _firstNotStarted; x < end; x++)
        {
            if (_started[x]) continue;
            if ((_afterRow[x] < 0 || _done[_afterRow[x]]) && (_afterColumn[x] < 0 || _done[_afterColumn[x]]))
                return x;
        }
        return -1;
    }
}
