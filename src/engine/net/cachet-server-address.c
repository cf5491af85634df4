/* cachet-server-address.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-net-error.h"
#include "cachet-server-address.h"

/**
 * CachetServerAddress:
 *
 * Where an account's IMAP or SMTP server is, and how TLS starts there, parsed
 * from the URL kept in the account (`imaps://mail.example.org`). Immutable and
 * reference counted.
 *
 * The grammar is deliberately narrow: a scheme, a host (name, IPv4 address or
 * bracketed IPv6 address) and an optional port. A user name in the URL would
 * end up in logs and in the accounts file next to it, and a path has no
 * meaning for IMAP or SMTP, so both are refused rather than ignored.
 *
 * Parse errors never repeat the URL: a mistyped `imaps://user:password@host`
 * must not carry the password into a dialog or a log.
 */
struct _CachetServerAddress
{
  CachetServerProtocol protocol;
  CachetTlsMode tls_mode;
  char *host;   /* ASCII, lower case, IPv6 without brackets */
  guint16 port;
};

G_DEFINE_BOXED_TYPE (CachetServerAddress, cachet_server_address,
                     cachet_server_address_ref, cachet_server_address_unref)

static const struct
{
  const char *scheme;
  CachetServerProtocol protocol;
  CachetTlsMode tls_mode;
  guint16 default_port;
} schemes[] = {
  /* RFC 8314 ports; the STARTTLS schemes mean "upgrade is mandatory". */
  { "imaps", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_IMPLICIT, 993 },
  { "imap", CACHET_SERVER_PROTOCOL_IMAP, CACHET_TLS_MODE_STARTTLS, 143 },
  { "smtps", CACHET_SERVER_PROTOCOL_SMTP, CACHET_TLS_MODE_IMPLICIT, 465 },
  { "smtp", CACHET_SERVER_PROTOCOL_SMTP, CACHET_TLS_MODE_STARTTLS, 587 },
};

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, CACHET_NET_ERROR, CACHET_NET_ERROR_INVALID_ADDRESS, message);
  return FALSE;
}

/* Letters, digits and inner hyphens in labels of 1 to 63 characters (RFC 1123).
 * Underscores and a trailing dot are refused too: no certificate can name such
 * a host, so the connection would only fail later with a vaguer error. */
static gboolean
is_host_name (const char *name)
{
  gsize label_length = 0;
  gsize length = strlen (name);

  if (length == 0 || length > 253)
    return FALSE;

  for (gsize i = 0; i <= length; i++)
    {
      char c = name[i];

      if (c == '.' || c == '\0')
        {
          if (label_length == 0 || label_length > 63 || name[i - 1] == '-')
            return FALSE;
          label_length = 0;
        }
      else if (g_ascii_isalnum (c) || (c == '-' && label_length > 0))
        {
          label_length++;
        }
      else
        {
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
parse_port (const char  *text,
            gsize        length,
            guint16     *port,
            GError     **error)
{
  guint value = 0;

  if (length == 0 || length > 5)
    return invalid (error, _("The port must be a number between 1 and 65535."));

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return invalid (error, _("The port must be a number between 1 and 65535."));
      value = value * 10 + (guint) (text[i] - '0');
    }
  if (value == 0 || value > G_MAXUINT16)
    return invalid (error, _("The port must be a number between 1 and 65535."));

  *port = (guint16) value;
  return TRUE;
}

/* Splits "host", "host:port", "[v6]" or "[v6]:port"; @host is not validated. */
static gboolean
split_authority (const char  *authority,
                 gsize        length,
                 char       **host,
                 guint16     *port,
                 GError     **error)
{
  const char *end = authority + length;
  const char *host_end;
  const char *colon;

  if (length > 0 && authority[0] == '[')
    {
      const char *close = memchr (authority, ']', length);

      if (close == NULL)
        return invalid (error, _("The IPv6 address has no closing bracket."));
      *host = g_strndup (authority + 1, (gsize) (close - authority - 1));
      if (!g_hostname_is_ip_address (*host) || strchr (*host, ':') == NULL)
        return invalid (error, _("Only an IPv6 address can be written in brackets."));
      colon = close + 1 < end ? close + 1 : NULL;
      if (colon != NULL && *colon != ':')
        return invalid (error, _("Only a port can follow the closing bracket of an IPv6 address."));
    }
  else
    {
      colon = memchr (authority, ':', length);
      if (colon != NULL && memchr (colon + 1, ':', (gsize) (end - colon - 1)) != NULL)
        return invalid (error, _("An IPv6 address must be written in brackets, as in "
                                 "imaps://[2001:db8::1]:993."));
      host_end = colon != NULL ? colon : end;
      *host = g_strndup (authority, (gsize) (host_end - authority));
    }

  if (colon != NULL)
    return parse_port (colon + 1, (gsize) (end - colon - 1), port, error);

  return TRUE;
}

/**
 * cachet_server_address_parse:
 * @uri: a server URL: `imaps://host[:port]` (TLS, port 993), `imap://host[:port]`
 *   (STARTTLS required, 143), `smtps://host[:port]` (TLS, 465) or
 *   `smtp://host[:port]` (STARTTLS required, 587). IPv6 addresses go in
 *   brackets; an empty path or "/" is allowed, nothing else after the host.
 * @error: return location for a #GError (%CACHET_NET_ERROR_INVALID_ADDRESS)
 *
 * Returns: (transfer full) (nullable): the address, or %NULL with @error set
 */
CachetServerAddress *
cachet_server_address_parse (const char  *uri,
                             GError     **error)
{
  g_autoptr(CachetServerAddress) self = NULL;
  g_autofree char *host = NULL;
  const char *separator;
  const char *authority;
  const char *rest;
  gsize scheme_index = G_N_ELEMENTS (schemes);
  guint16 port = 0;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  separator = strstr (uri, "://");
  for (gsize i = 0; separator != NULL && i < G_N_ELEMENTS (schemes); i++)
    {
      if (strlen (schemes[i].scheme) == (gsize) (separator - uri) &&
          g_ascii_strncasecmp (uri, schemes[i].scheme, (gsize) (separator - uri)) == 0)
        scheme_index = i;
    }
  if (scheme_index == G_N_ELEMENTS (schemes))
    {
      invalid (error, _("The server address must start with imaps:// or imap:// for IMAP, "
                        "smtps:// or smtp:// for SMTP."));
      return NULL;
    }

  authority = separator + strlen ("://");
  rest = authority + strcspn (authority, "/?#");
  if (*rest != '\0' && strcmp (rest, "/") != 0)
    {
      invalid (error, _("The server address can only hold a host name and a port, "
                        "with nothing after them."));
      return NULL;
    }
  if (memchr (authority, '@', (gsize) (rest - authority)) != NULL)
    {
      invalid (error, _("The server address must not contain a user name or password; "
                        "enter them in the account settings instead."));
      return NULL;
    }

  port = schemes[scheme_index].default_port;
  if (!split_authority (authority, (gsize) (rest - authority), &host, &port, error))
    return NULL;

  if (*host == '\0')
    {
      invalid (error, _("The server address has no host name."));
      return NULL;
    }
  if (!g_hostname_is_ip_address (host))
    {
      /* International names become their ASCII (punycode) form, the one DNS and
       * certificates use. */
      g_autofree char *ascii = g_hostname_to_ascii (host);

      if (ascii == NULL || !is_host_name (ascii))
        {
          invalid (error, _("The host name of the server is not valid."));
          return NULL;
        }
      g_free (host);
      host = g_ascii_strdown (ascii, -1);
    }

  self = g_atomic_rc_box_new0 (CachetServerAddress);
  self->protocol = schemes[scheme_index].protocol;
  self->tls_mode = schemes[scheme_index].tls_mode;
  self->host = g_steal_pointer (&host);
  self->port = port;

  return g_steal_pointer (&self);
}

/**
 * cachet_server_address_ref:
 *
 * Returns: (transfer full): @self
 */
CachetServerAddress *
cachet_server_address_ref (CachetServerAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
cachet_server_address_clear (gpointer data)
{
  CachetServerAddress *self = data;

  g_free (self->host);
}

void
cachet_server_address_unref (CachetServerAddress *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, cachet_server_address_clear);
}

CachetServerProtocol
cachet_server_address_get_protocol (CachetServerAddress *self)
{
  g_return_val_if_fail (self != NULL, CACHET_SERVER_PROTOCOL_IMAP);

  return self->protocol;
}

CachetTlsMode
cachet_server_address_get_tls_mode (CachetServerAddress *self)
{
  g_return_val_if_fail (self != NULL, CACHET_TLS_MODE_IMPLICIT);

  return self->tls_mode;
}

/**
 * cachet_server_address_get_host:
 *
 * Returns: (transfer none): the host name in ASCII and lower case, or the IP
 *   address (IPv6 without brackets); this is also the name the server's
 *   certificate must match
 */
const char *
cachet_server_address_get_host (CachetServerAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->host;
}

guint16
cachet_server_address_get_port (CachetServerAddress *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

/**
 * cachet_server_address_to_string:
 *
 * Returns: (transfer full): the address in its canonical form, with the port
 *   always written (`imaps://mail.example.org:993`); parsing it gives back an
 *   equal address
 */
char *
cachet_server_address_to_string (CachetServerAddress *self)
{
  const char *scheme = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      if (schemes[i].protocol == self->protocol && schemes[i].tls_mode == self->tls_mode)
        scheme = schemes[i].scheme;
    }

  if (strchr (self->host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u", scheme, self->host, self->port);
  return g_strdup_printf ("%s://%s:%u", scheme, self->host, self->port);
}
