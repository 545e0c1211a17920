#!/usr/bin/env bash
# The production set-up on one machine (docs/deployment.md): PostgreSQL (a database, its
# owner and the application's restricted role), two web processes (gunicorn) behind nginx with
# TLS from a self-signed certificate, two `reclamations worker` processes, JSON logs, stored
# files in the data directory or an S3-compatible bucket (RECLAMATIONS_S3_*).
#
#   scripts/deploy-local.sh up --prefix DIR      set up (again) and start; prints the address
#   scripts/deploy-local.sh down --prefix DIR    stop what `up` started
#   scripts/deploy-local.sh status --prefix DIR  the health page's answer
#
# Everything it writes is under DIR: configuration (etc/), certificate (tls/), data (data/),
# logs (log/), process ids (run/), nginx's files (nginx/). systemd runs the same processes from
# deploy/systemd/ on a real server; here, when systemd is not PID 1 (a container), the script
# starts them itself and says so.
#
# Chosen by the environment (defaults in brackets):
#   RECLAMATIONS_HTTPS_PORT [8443]  RECLAMATIONS_WEB_PORTS ["8001 8002"]  RECLAMATIONS_WORKERS [2]
#   RECLAMATIONS_SERVER_NAME [localhost]  WEB_CONCURRENCY [2] (gunicorn workers per web process)
#   POSTGRES_ADMIN_URL [postgres://postgres@127.0.0.1:5432/postgres]: who creates the database
#   RECLAMATIONS_DB_NAME [reclamations]: the database; roles <name>_owner and <name>_app
#   RECLAMATIONS_VENV [.venv of this repository, made by scripts/bootstrap.sh when missing]
#   Passed on to the application when set: RECLAMATIONS_S3_*, EMAIL_*, DEFAULT_FROM_EMAIL, IMAP_*.
set -euo pipefail
repository="$(cd "$(dirname "$0")/.." && pwd)"

say() { printf '%s\n' "$*"; }
fail() { printf 'deploy-local : %s\n' "$*" >&2; exit 1; }

command="${1:-}"
shift || true
prefix=""
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="${2:-}"; shift 2 ;;
        *) fail "option inconnue : $1 (voir l'en-tête du script)" ;;
    esac
done
[ -n "$prefix" ] || fail "indiquez le dossier de l'installation : --prefix DOSSIER"
case "$command" in up|down|status) ;; *) fail "commande : up, down ou status" ;; esac
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"

# `down` and `status` read what `up` chose.
if [ "$command" != up ] && [ -f "$prefix/etc/site.env" ]; then
    # shellcheck source=/dev/null
    . "$prefix/etc/site.env"
fi
https_port="${RECLAMATIONS_HTTPS_PORT:-8443}"
web_ports="${RECLAMATIONS_WEB_PORTS:-8001 8002}"
workers="${RECLAMATIONS_WORKERS:-2}"
server_name="${RECLAMATIONS_SERVER_NAME:-localhost}"
admin_url="${POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db_name="${RECLAMATIONS_DB_NAME:-reclamations}"
venv="${RECLAMATIONS_VENV:-$repository/.venv}"
etc="$prefix/etc" run="$prefix/run" log="$prefix/log"

# --- processes --------------------------------------------------------------------------------

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid_file() {
    local file="$1"
    if running "$file"; then
        local pid
        pid="$(cat "$file")"
        kill -TERM "$pid"
        for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
    fi
    rm -f "$file"
}

down() {
    if [ -f "$run/nginx.pid" ] && running "$run/nginx.pid"; then
        nginx -p "$prefix/nginx" -c "$etc/nginx.conf" -s quit 2>/dev/null || true
        for _ in $(seq 40); do running "$run/nginx.pid" || break; sleep 0.25; done
    fi
    for file in "$run"/*.pid; do
        [ -e "$file" ] || continue
        stop_pid_file "$file"
    done
    say "Installation arrêtée ($prefix)."
}

health() {
    curl --silent --show-error --cacert "$prefix/tls/certificate.pem" \
        --resolve "$server_name:$https_port:127.0.0.1" \
        --write-out '\n%{http_code}\n' "https://$server_name:$https_port/sante/"
}

if [ "$command" = down ]; then down; exit 0; fi
if [ "$command" = status ]; then health; exit 0; fi

# --- up: prerequisites ------------------------------------------------------------------------

for tool in nginx openssl psql curl; do
    command -v "$tool" >/dev/null || fail "$tool est introuvable (apt-get install nginx openssl postgresql-client curl)"
done
if [ ! -x "$venv/bin/reclamations" ]; then
    [ "$venv" = "$repository/.venv" ] || fail "$venv/bin/reclamations est introuvable"
    "$repository/scripts/bootstrap.sh" runtime
fi
systemd_pid1=no
[ "$(ps -o comm= -p 1 2>/dev/null)" = systemd ] && systemd_pid1=yes
mkdir -p "$etc" "$run" "$log" "$prefix/tls" "$prefix/data" "$prefix/backups" "$prefix/nginx"
chmod 700 "$etc" "$prefix/tls"
umask 077

secret() { head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48; }
valid_name() { [[ "$1" =~ ^[a-z_][a-z0-9_]{0,40}$ ]] || fail "nom de base invalide : $1"; }
valid_name "$db_name"
owner_role="${db_name}_owner" app_role="${db_name}_app"

# --- PostgreSQL: the database, its owner, the application's role ------------------------------

if [ ! -f "$etc/database.env" ]; then
    {
        echo "OWNER_PASSWORD=$(secret)"
        echo "APP_PASSWORD=$(secret)"
    } > "$etc/database.env"
fi
# shellcheck source=/dev/null
. "$etc/database.env"
psql_admin() { psql "$admin_url" -v ON_ERROR_STOP=1 -qAt "$@"; }
for role in "$owner_role:$OWNER_PASSWORD" "$app_role:$APP_PASSWORD"; do
    name="${role%%:*}" password="${role#*:}"
    if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$name'")" ]; then
        psql_admin -c "CREATE ROLE $name LOGIN PASSWORD '$password'"
    fi
done
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db_name'")" ]; then
    psql_admin -c "CREATE DATABASE $db_name OWNER $owner_role"
fi
db_host="$(psql_admin -c "SELECT coalesce(inet_server_addr()::text, 'localhost')")"
db_port="$(psql_admin -c "SHOW port")"
db_host="${db_host%/*}"
owner_url="postgres://$owner_role:$OWNER_PASSWORD@$db_host:$db_port/$db_name"
app_url="postgres://$app_role:$APP_PASSWORD@$db_host:$db_port/$db_name"

# --- the application's environment (a systemd EnvironmentFile, sourced here too) ---------------

env_file="$etc/reclamations.env"
if [ ! -f "$env_file" ]; then
    {
        echo "# Written by scripts/deploy-local.sh up; docs/configuration.md says what each is."
        echo "SECRET_KEY=$(secret)"
        echo "RECLAMATIONS_CHAIN_KEY=$(secret)"
    } > "$env_file"
fi
# The keys stay; everything else follows this run's choices.
keys="$(grep -E '^(SECRET_KEY|RECLAMATIONS_CHAIN_KEY)=' "$env_file")"
{
    echo "# Written by scripts/deploy-local.sh up; docs/configuration.md says what each is."
    echo "$keys"
    echo "DATABASE_URL=$app_url"
    echo "RECLAMATIONS_DATA_DIR=$prefix/data"
    echo "RECLAMATIONS_BACKUP_DIR=$prefix/backups"
    echo "ALLOWED_HOSTS=$server_name,127.0.0.1"
    echo "CSRF_TRUSTED_ORIGINS=https://$server_name:$https_port"
    echo "RECLAMATIONS_BASE_URL=https://$server_name:$https_port"
    echo "RECLAMATIONS_HTTPS=true"
    echo "RECLAMATIONS_BEHIND_PROXY=true"
    echo "RECLAMATIONS_TRUSTED_PROXIES=127.0.0.1,::1"
    echo "RECLAMATIONS_EMBEDDED_WORKER=false"
    echo "RECLAMATIONS_LOG_FORMAT=json"
    echo "WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}"
    env | grep -E '^(RECLAMATIONS_S3_[A-Z_]+|EMAIL_[A-Z_]+|DEFAULT_FROM_EMAIL|IMAP_[A-Z_]+)=' | sort || true
} > "$env_file.new"
mv "$env_file.new" "$env_file"
{
    echo "RECLAMATIONS_HTTPS_PORT=$https_port"
    echo "RECLAMATIONS_SERVER_NAME=$server_name"
} > "$etc/site.env"
{
    echo "DATABASE_URL=$owner_url"
    echo "RECLAMATIONS_APP_ROLE=$app_role"
} > "$etc/owner.env"

# Runs a `reclamations` command with the application's environment (and the owner's if asked).
reclamations_as() {
    local extra="$1"
    shift
    (
        set -a
        # shellcheck source=/dev/null
        . "$env_file"
        # shellcheck source=/dev/null
        [ -z "$extra" ] || . "$extra"
        set +a
        exec "$venv/bin/reclamations" "$@"
    )
}

# --- the schema (as its owner), the application role's rights, the static files ----------------

say "Base $db_name : migrate (propriétaire $owner_role), droits de $app_role, fichiers statiques…"
reclamations_as "$etc/owner.env" migrate --no-input --verbosity 0
reclamations_as "$etc/owner.env" db-grants "$app_role" >/dev/null
reclamations_as "" collectstatic --no-input --verbosity 0

# --- TLS: a self-signed certificate for this machine's name ------------------------------------

if [ ! -f "$prefix/tls/certificate.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$server_name" \
        -addext "subjectAltName=DNS:$server_name,DNS:localhost,IP:127.0.0.1" \
        -keyout "$prefix/tls/key.pem" -out "$prefix/tls/certificate.pem" 2>/dev/null
fi

# --- nginx: the site of deploy/nginx/, inside a configuration of its own -----------------------

upstreams=""
for port in $web_ports; do
    upstreams="$upstreams    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
done
site="$(sed -e "s|@LISTEN@|127.0.0.1|" -e "s|@HTTPS_PORT@|$https_port|" \
    -e "s|@SERVER_NAME@|$server_name|" -e "s|@TLS_CERTIFICATE@|$prefix/tls/certificate.pem|" \
    -e "s|@TLS_KEY@|$prefix/tls/key.pem|" "$repository/deploy/nginx/reclamations.conf")"
site="${site/@UPSTREAM_SERVERS@/${upstreams%$'\n'}}"
mkdir -p "$prefix/nginx/temp"
cat > "$etc/nginx.conf" <<NGINX
# Written by scripts/deploy-local.sh: Debian's nginx run on its own, as the user who ran it.
worker_processes 1;
pid $run/nginx.pid;
error_log $log/nginx-error.log warn;
$( [ "$(id -u)" = 0 ] && echo "user root;" )
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $prefix/nginx/temp/body;
    proxy_temp_path $prefix/nginx/temp/proxy;
    fastcgi_temp_path $prefix/nginx/temp/fastcgi;
    uwsgi_temp_path $prefix/nginx/temp/uwsgi;
    scgi_temp_path $prefix/nginx/temp/scgi;
    # One JSON object per request, with the id the application's lines carry too.
    log_format json escape=json '{"time":"\$time_iso8601","request_id":"\$request_id",'
        '"method":"\$request_method","path":"\$uri","status":\$status,'
        '"duration_ms":\$request_time,"upstream":"\$upstream_addr"}';
    access_log $log/nginx-access.log json;
$site
}
NGINX
nginx -t -q -p "$prefix/nginx" -c "$etc/nginx.conf"

# --- the processes ------------------------------------------------------------------------------

start() {
    local name="$1"
    shift
    if running "$run/$name.pid"; then
        stop_pid_file "$run/$name.pid"
    fi
    (
        set -a
        # shellcheck source=/dev/null
        . "$env_file"
        set +a
        cd "$prefix"
        exec setsid "$venv/bin/reclamations" "$@" >>"$log/$name.log" 2>&1 </dev/null
    ) &
    echo $! > "$run/$name.pid"
}

if [ "$systemd_pid1" = yes ]; then
    say "systemd est le processus 1 : sur un serveur, installez plutôt les unités de deploy/systemd/"
    say "(docs/deployment.md) ; ce script démarre ici les processus lui-même."
else
    say "systemd n'est pas le processus 1 ici : le script démarre les processus lui-même."
fi
for port in $web_ports; do
    start "web-$port" serve --host 127.0.0.1 --port "$port" --no-prepare
done
for number in $(seq "$workers"); do
    start "worker-$number" worker
done
if running "$run/nginx.pid"; then
    nginx -p "$prefix/nginx" -c "$etc/nginx.conf" -s reload
else
    nginx -p "$prefix/nginx" -c "$etc/nginx.conf"
fi

# --- ready when the health page says so through nginx ------------------------------------------

for _ in $(seq 180); do
    answer="$(health 2>/dev/null || true)"
    if [ "${answer##*$'\n'}" = 200 ]; then
        say "Réclamations : https://$server_name:$https_port/ (certificat : $prefix/tls/certificate.pem)"
        say "Processus : web ${web_ports// /, }, $workers worker(s), nginx ; journaux : $log/"
        exit 0
    fi
    sleep 0.5
done
say "La page de santé ne répond pas 200 après 90 s :" >&2
say "$answer" >&2
exit 1
