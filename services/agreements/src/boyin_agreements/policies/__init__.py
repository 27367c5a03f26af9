"""Support policies: the announced measures and other support as data (conditions and
amount formulas in CEL over declared facts), validated when saved, and evaluated for an
agreement and its parties with the versions used recorded."""
