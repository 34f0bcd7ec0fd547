using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Matchmaker.Core.Recommendations;

namespace Matchmaker.Tools.Recommendations;

/// <summary>
/// <c>mf-bench</c>: trains the explicit or implicit recommender on a LIBMF-format file, evaluates it on another, and
/// prints one JSON object on its last line (earlier lines: the popularity baseline and details) for bench/mf scripts.
/// </summary>
public static class MfBenchCommand
{
    public static Command Create()
    {
        var train = new Option<string>("--train") { Required = true, Description = "training file, LIBMF text format 'user item value'" };
        var test = new Option<string>("--test") { Required = true, Description = "test file, same format" };
        var mode = new Option<string>("--mode") { Description = "explicit (ratings, SGD) or implicit (signals, ALS)", DefaultValueFactory = _ => "explicit" };
        mode.AcceptOnlyFromAmong("explicit", "implicit");
        var factors = new Option<int?>("--factors") { Description = "rank k (default: the mode's options default)" };
        var epochs = new Option<int?>("--epochs") { Description = "iterations / ALS sweeps" };
        var lambda = new Option<float?>("--lambda") { Description = "L2 regularisation" };
        var learningRate = new Option<float?>("--learning-rate") { Description = "SGD initial step (explicit)" };
        var alpha = new Option<float?>("--alpha") { Description = "confidence slope (implicit)" };
        var biases = new Option<bool>("--biases") { Description = "explicit: learn global mean and user/item biases" };
        var threads = new Option<int>("--threads") { Description = "worker threads", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "seed", DefaultValueFactory = _ => 0 };
        var topK = new Option<int>("--topk") { Description = "k of the ranking metrics", DefaultValueFactory = _ => 10 };
        var libmfModel = new Option<string?>("--libmf-model-out") { Description = "also write the model in LIBMF's text format (numeric ids only), to cross-check with eval_rank.py" };

        var command = new Command("mf-bench", "Train and evaluate the matrix-factorisation recommender on LIBMF-format files")
        {
            train, test, mode, factors, epochs, lambda, learningRate, alpha, biases, threads, seed, topK, libmfModel,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                var settings = new BenchSettings(
                    parseResult.GetValue(train)!, parseResult.GetValue(test)!, parseResult.GetValue(mode) ?? "explicit",
                    parseResult.GetValue(factors), parseResult.GetValue(epochs), parseResult.GetValue(lambda),
                    parseResult.GetValue(learningRate), parseResult.GetValue(alpha), parseResult.GetValue(biases),
                    parseResult.GetValue(threads), parseResult.GetValue(seed), parseResult.GetValue(topK),
                    parseResult.GetValue(libmfModel));
                Console.Out.WriteLine(Run(settings, Console.Out));
                return 0;
            }
            catch (Exception e) when (e is RatingFormatException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"mf-bench: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    public sealed record BenchSettings(string Train, string Test, string Mode, int? Factors, int? Epochs, float? Lambda,
        float? LearningRate, float? Alpha, bool Biases, int Threads, ulong Seed, int TopK,
        string? LibmfModelOut = null);

    /// <summary>Runs the benchmark and returns the final JSON line; details go to <paramref name="log"/>.</summary>
    public static string Run(BenchSettings s, TextWriter log)
    {
        // one id space for both files, so test rows line up with training rows; parsing is not timed
        var users = new IdIndex();
        var items = new IdIndex();
        var train = LibmfTextFormat.ReadFile(s.Train, users, items);
        var test = LibmfTextFormat.ReadFile(s.Test, users, items);
        var time = TimeProvider.System;
        var result = new Dictionary<string, object?> { ["mode"] = s.Mode };
        MfModel model;
        int factors, epochs;
        if (s.Mode == "implicit")
        {
            var d = new ImplicitAlsOptions();
            var options = d with
            {
                Factors = s.Factors ?? d.Factors, Iterations = s.Epochs ?? d.Iterations, Lambda = s.Lambda ?? d.Lambda,
                Alpha = s.Alpha ?? d.Alpha, Threads = s.Threads, Seed = s.Seed,
            };
            (factors, epochs) = (options.Factors, options.Iterations);
            ImplicitAlsTrainer.Train(WarmUpSample(train), options with { Iterations = 1 }, time);
            var started = time.GetTimestamp();
            model = ImplicitAlsTrainer.Train(train, options, time);
            result["train_seconds"] = time.GetElapsedTime(started).TotalSeconds;
            log.WriteLine($"options {JsonSerializer.Serialize(options)}");
        }
        else
        {
            var d = new ExplicitMfOptions();
            var options = d with
            {
                Factors = s.Factors ?? d.Factors, Iterations = s.Epochs ?? d.Iterations, Lambda = s.Lambda ?? d.Lambda,
                LearningRate = s.LearningRate ?? d.LearningRate, UseBiases = s.Biases, Threads = s.Threads, Seed = s.Seed,
            };
            (factors, epochs) = (options.Factors, options.Iterations);
            ExplicitMfTrainer.Train(WarmUpSample(train), options with { Iterations = 1 }, time);
            var started = time.GetTimestamp();
            model = ExplicitMfTrainer.Train(train, options, time);
            result["train_seconds"] = time.GetElapsedTime(started).TotalSeconds;
            log.WriteLine($"options {JsonSerializer.Serialize(options)}");
        }

        if (s.LibmfModelOut is { } path) LibmfModelText.Write(model, path);

        // cold test cells (user or item unseen in training) get the training mean, as LIBMF's predictor does
        var error = Evaluation.RatingError(model, test, Evaluation.MeanValue(train));
        result["rmse"] = Round(error.Rmse);
        result["mae"] = Round(error.Mae);
        log.WriteLine($"test cells {error.Count}, cold {error.Cold}");
        if (s.Mode == "implicit")
        {
            var popularity = Evaluation.Ranking(train, test, Evaluation.PopularityScorer(train), s.TopK);
            log.WriteLine("popularity " + Describe(popularity));
            var ranking = Evaluation.Ranking(train, test, Evaluation.ModelScorer(model, users, items), s.TopK);
            log.WriteLine("model      " + Describe(ranking));
            result["auc"] = Round(ranking.Auc);
            result["recall_at_k"] = Round(ranking.RecallAtK);
            result["ndcg_at_k"] = Round(ranking.NdcgAtK);
            result["popularity_recall_at_k"] = Round(popularity.RecallAtK);
            result["popularity_ndcg_at_k"] = Round(popularity.NdcgAtK);
        }
        else
        {
            var baseline = Evaluation.ItemMeanBaselineError(train, test);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"item-mean baseline RMSE={baseline.Rmse:F4} MAE={baseline.Mae:F4}"));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model              RMSE={error.Rmse:F4} MAE={error.Mae:F4}"));
            result["auc"] = null;
            result["recall_at_k"] = null;
            result["ndcg_at_k"] = null;
        }
        result["train_seconds"] = Round((double)result["train_seconds"]!);
        result["ratings"] = train.Count;
        result["factors"] = factors;
        result["epochs"] = epochs;
        result["threads"] = s.Threads;
        result["topk"] = s.TopK;
        return JsonSerializer.Serialize(result);
    }

    /// <summary>
    /// A small slice of the training data for one untimed 1-epoch run before the timed one: it JIT-compiles the
    /// training code, so train_seconds measures training, as LIBMF's (ahead-of-time compiled) figure does, rather than
    /// the runtime's start-up. BenchmarkDotNet warms up the same way.
    /// </summary>
    private static RatingSet WarmUpSample(RatingSet train) =>
        new(train.Users, train.Items, train.Ratings[..Math.Min(train.Count, 2000)]);

    private static double Round(double x) => Math.Round(x, 6);

    private static string Describe(RankingReport r) => string.Create(CultureInfo.InvariantCulture,
        $"users={r.Users} cold={r.ColdUsers} AUC={r.Auc:F4} P@{r.K}={r.PrecisionAtK:F4} Recall@{r.K}={r.RecallAtK:F4} " +
        $"NDCG@{r.K}={r.NdcgAtK:F4} HR@{r.K}={r.HitRateAtK:F4} MAP@{r.K}={r.MapAtK:F4} MPR={r.MeanPercentileRank:F4} " +
        $"coverage={r.Coverage:F4}");
}
