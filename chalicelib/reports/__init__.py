"""The warranty reports: daily roll-up counters kept by the units and claims streams (one
``ADD`` per counter and item a batch), the reports read from them (days × dimensions, never the
units or the requests), their Excel exports, and the command that rebuilds the counters from
the tables."""
