namespace Matchmaker.Core.Scheduling;

/// <summary>Why an SME and a buyer cannot meet in a slot (the answer of the availability rule); <see cref="None"/> when they can.</summary>
public enum SlotClash : byte
{
    /// <summary>They can meet there.</summary>
    None,

    /// <summary>The SME is away in the slot.</summary>
    SmeAway,

    /// <summary>The buyer is away in the slot.</summary>
    BuyerAway,

    /// <summary>The SME already meets someone in the slot.</summary>
    SmeBusy,

    /// <summary>Every table of the buyer is taken in the slot.</summary>
    TablesFull,

    /// <summary>The table asked for does not exist at this buyer.</summary>
    NoSuchTable,

    /// <summary>The table asked for is taken in the slot (another one may be free).</summary>
    TableTaken,

    /// <summary>The SME has as many meetings as it may have at the event.</summary>
    SmeCapReached,

    /// <summary>The buyer has as many meetings as it may have at the event.</summary>
    BuyerCapReached,

    /// <summary>The SME refuses back-to-back meetings and has one in a neighbouring slot.</summary>
    SmeBackToBack,

    /// <summary>The buyer refuses back-to-back meetings at a table and a neighbouring slot leaves none free.</summary>
    BuyerBackToBack,

    /// <summary>The SME has a meeting that day too close before or after for the walk between the two buyers' halls.</summary>
    HallTravel,

    /// <summary>The SME already meets this buyer: a pair meets once.</summary>
    PairMeets,
}
