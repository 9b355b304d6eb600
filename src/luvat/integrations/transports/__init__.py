"""Transports that carry outbound messages to authority systems: HTTP (X-Road REST) and AMQP."""
