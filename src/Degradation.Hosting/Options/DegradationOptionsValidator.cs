using Degradation.Alerts;
using Degradation.Classification;
using Degradation.Events;
using Degradation.Fallback;
using Degradation.Features;
using Microsoft.Extensions.Options;

namespace Degradation.Hosting;

/// <summary>
/// Validates bound <see cref="DegradationOptions"/> at host start (<c>ValidateOnStart</c>) with the source-generated
/// validators of each section, so a bad <c>appsettings.json</c> stops the host with messages naming the full key path
/// (<c>Degradation:Recovery:StageTimeout</c>) and the bad value. The rules are the DataAnnotations on the options types,
/// the same ones <see cref="DegradationOptions.Validate()"/> applies for hosts without dependency injection.
/// </summary>
internal sealed class DegradationOptionsValidator(string sectionPath) : IValidateOptions<DegradationOptions>
{
    public ValidateOptionsResult Validate(string? name, DegradationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = string.IsNullOrEmpty(sectionPath) ? DegradationOptions.SectionName : sectionPath;
        var results = new ValidateOptionsResultBuilder();
        // Sections in the order DegradationOptions lists them (Alerts and Gate have only switches, nothing to check), then
        // the rules across them, as DegradationOptions.Validate does.
        Section(results, new ProbeOptionsValidator(), path, nameof(options.Probes), options.Probes);
        Section(results, new StatusOptionsValidator(), path, nameof(options.Status), options.Status);
        Section(results, new RecoveryOptionsValidator(), path, nameof(options.Recovery), options.Recovery);
        Section(results, new SafeModeOptionsValidator(), path, nameof(options.SafeMode), options.SafeMode);
        Section(results, new FallbackOptionsValidator(), path, nameof(options.Fallbacks), options.Fallbacks);
        Section(results, new BufferOptionsValidator(), path, nameof(options.Buffer), options.Buffer);
        Section(results, new EventBusOptionsValidator(), path, nameof(options.EventBus), options.EventBus);
        Section(results, new CacheOptionsValidator(), path, nameof(options.Caches), options.Caches);
        Section(results, new OperatorOptionsValidator(), path, nameof(options.Operator), options.Operator);
        Section(results, new StateMachineOptionsValidator(), path, nameof(options.StateMachine), options.StateMachine);
        Section(results, new FeatureLevelOptionsValidator(), path, nameof(options.FeatureLevels), options.FeatureLevels);
        Section(results, new AlertChannelOptionsValidator(), path, nameof(options.AlertChannels), options.AlertChannels);
        results.AddResult(new TopLevelOptionsValidator().Validate(path, options));
        return results.Build();
    }

    private static void Section<T>(ValidateOptionsResultBuilder results, IValidateOptions<T> validator, string path, string name, T? section) where T : class
    {
        if (section is not null) results.AddResult(validator.Validate($"{path}:{name}", section));
    }
}

// The generated validators: one per section (the generator does not descend into nested options without an attribute
// from Microsoft.Extensions.Options, which Core does not reference), and the cross-section rules of the top level.
[OptionsValidator] internal sealed partial class ProbeOptionsValidator : IValidateOptions<ProbeOptions>;
[OptionsValidator] internal sealed partial class StatusOptionsValidator : IValidateOptions<StatusOptions>;
[OptionsValidator] internal sealed partial class RecoveryOptionsValidator : IValidateOptions<RecoveryOptions>;
[OptionsValidator] internal sealed partial class SafeModeOptionsValidator : IValidateOptions<SafeModeOptions>;
[OptionsValidator] internal sealed partial class FallbackOptionsValidator : IValidateOptions<FallbackOptions>;
[OptionsValidator] internal sealed partial class BufferOptionsValidator : IValidateOptions<BufferOptions>;
[OptionsValidator] internal sealed partial class EventBusOptionsValidator : IValidateOptions<EventBusOptions>;
[OptionsValidator] internal sealed partial class CacheOptionsValidator : IValidateOptions<CacheOptions>;
[OptionsValidator] internal sealed partial class OperatorOptionsValidator : IValidateOptions<OperatorOptions>;
[OptionsValidator] internal sealed partial class StateMachineOptionsValidator : IValidateOptions<StateMachineOptions>;
[OptionsValidator] internal sealed partial class FeatureLevelOptionsValidator : IValidateOptions<FeatureLevelOptions>;
[OptionsValidator] internal sealed partial class AlertChannelOptionsValidator : IValidateOptions<AlertChannelOptions>;

// Options a host may bind itself (services.Configure<FallbackChainOptions>(...)): registered by AddGracefulDegradation so
// that reading IOptions<T>.Value validates them with the same attributes and rules the chain and the classifier apply.
[OptionsValidator] internal sealed partial class FallbackChainOptionsValidator : IValidateOptions<FallbackChainOptions>;
[OptionsValidator] internal sealed partial class FailureClassificationOptionsValidator : IValidateOptions<FailureClassificationOptions>;
// SYSLIB1212 asks for [ValidateObjectMembers] on the section properties: the sections are validated above, by their own validators.
#pragma warning disable SYSLIB1212
[OptionsValidator] internal sealed partial class TopLevelOptionsValidator : IValidateOptions<DegradationOptions>;
#pragma warning restore SYSLIB1212
