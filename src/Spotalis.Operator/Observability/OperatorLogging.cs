using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spotalis.Operator.Configuration;

namespace Spotalis.Operator.Observability;

/// <summary>Structured console logging: one JSON object per line (default) or human-readable text.</summary>
public static class OperatorLogging
{
    public static void Configure(ILoggingBuilder logging, SpotalisConfig config)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(config.LogLevel);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        if (config.LogFormat == LogFormat.Json)
        {
            logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.IncludeScopes = true;
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
                options.UseUtcTimestamp = true;
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    }
}
