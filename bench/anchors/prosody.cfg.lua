-- Prosody 0.12 (Debian) for bench/run.sh: loopback only, plaintext c2s with PLAIN allowed,
-- passwords hashed (internal_hashed, SCRAM-SHA-1, 10000 iterations), no rate limits, no MAM,
-- in-band registration only so that run.sh can pre-create the benchmark accounts.
-- PEP (mod_pep, in the default config's modules) and a pubsub component as users set them up;
-- admin@localhost administers the pubsub service (mod_pubsub lets only admins create nodes).
-- Paths under /tmp/xmpp-bench/prosody (run.sh substitutes @DATA@).
run_as_root = true
daemonize = false
pidfile = "@DATA@/prosody.pid"
data_path = "@DATA@/data"
log = { warn = "@DATA@/prosody.log" }
network_backend = "epoll"
interfaces = { "127.0.0.1" }
c2s_ports = { 25222 }
c2s_direct_tls_ports = { }
s2s_ports = { }
http_ports = { }
https_ports = { }
admin_socket = "@DATA@/admin.sock"

modules_enabled = {
  "roster"; "saslauth"; "disco"; "ping"; "register"; "presence"; "message"; "iq";
  "posix"; "pep";
}
modules_disabled = { "s2s" }

admins = { "admin@localhost" }
authentication = "internal_hashed"
storage = "internal"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
allow_registration = true
min_seconds_between_registrations = 0
registration_throttle_max = nil
limits = {}
c2s_timeout = 3600

VirtualHost "localhost"
  ssl = nil

Component "conference.localhost" "muc"
  restrict_room_creation = false
  max_history_messages = 0
  muc_room_default_history_length = 0

Component "pubsub.localhost" "pubsub"
