/* cachet-directory-fhir.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cachet-directory-fhir.h"

/* The online half of the directory: the Annuaire Santé FHIR API v2, for
 * the professionals the daily extract does not have yet. A search is a few
 * FHIR searches (Practitioner, PractitionerRole, Organization), each
 * followed page by page through Bundle.link[relation=next]; the mailboxes
 * are the telecoms typed MSSANTE, as the implementation guide shapes them.
 *
 * The requests of one search run one after the other in a worker thread,
 * with blocking libsoup calls, in a session of their own; what the
 * searches of one client share is the rate limit, under a lock. */

#define API_KEY_HEADER     "ESANTE-API-KEY"
#define DEFAULT_TIMEOUT_S  30
/* The gateway allows 17 calls per second per application. */
#define RATE_LIMIT         17
/* It counts calls as they arrive: the margin absorbs the jitter between our
 * sending and its receiving (a busy network or a busy machine on either
 * side), for about 15.5 calls a second at most. */
#define RATE_WINDOW_US     (G_USEC_PER_SEC + 100 * 1000)
/* A page is 50 resources of a few kB; this stops a runaway server. */
#define MAX_RESPONSE_BYTES (4 * 1024 * 1024)
/* Pages followed per FHIR search: a vague name matches thousands of people,
 * and the user refines the query rather than read them all. */
#define MAX_PAGES          10
#define PAGE_SIZE          "50"
#define MAX_QUERY_BYTES    200
/* What the gateway answers beyond its rate (RFC 6585), which libsoup does
 * not name. */
#define TOO_MANY_REQUESTS  429

#define NATIONAL_ID_SYSTEM "urn:oid:1.2.250.1.71.4.2.1"
#define EMAIL_TYPE_URL     "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type"
#define MAILBOX_META_URL   "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata"
#define PROFESSION_SYSTEM  "TRE_G15-ProfessionSante"
#define SPECIALTY_SYSTEM   "TRE_R38-SpecialiteOrdinale"

struct _CachetDirectoryFhir
{
  GObject                    parent_instance;

  char                      *base_url;
  CachetCredentialsProvider *credentials;
  guint                      timeout_s;

  /* When the last RATE_LIMIT requests left, a ring: a request may go once
   * the oldest of them is a window old. Unlike a bucket refilled at a
   * steady rate, this never lets more than RATE_LIMIT requests into any
   * window, bursts included. */
  GMutex                     rate_lock;
  gint64                     sent_at[RATE_LIMIT];
  guint                      next_slot;
};

G_DEFINE_FINAL_TYPE (CachetDirectoryFhir, cachet_directory_fhir, G_TYPE_OBJECT)

static void
cachet_directory_fhir_finalize (GObject *object)
{
  CachetDirectoryFhir *self = CACHET_DIRECTORY_FHIR (object);

  g_free (self->base_url);
  g_clear_object (&self->credentials);
  g_mutex_clear (&self->rate_lock);

  G_OBJECT_CLASS (cachet_directory_fhir_parent_class)->finalize (object);
}

static void
cachet_directory_fhir_class_init (CachetDirectoryFhirClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_directory_fhir_finalize;
}

static void
cachet_directory_fhir_init (CachetDirectoryFhir *self)
{
  self->timeout_s = DEFAULT_TIMEOUT_S;
  g_mutex_init (&self->rate_lock);
}

/**
 * cachet_directory_fhir_new:
 * @base_url: (nullable): the FHIR base, or %NULL for
 *   %CACHET_DIRECTORY_FHIR_DEFAULT_URL
 * @credentials: (nullable): where the API key is kept, under
 *   %CACHET_DIRECTORY_FHIR_ACCOUNT_ID and %CACHET_SECRET_PASSWORD; without
 *   it every search fails for want of a key
 *
 * Returns: (transfer full): a client of the Annuaire Santé FHIR API
 */
CachetDirectoryFhir *
cachet_directory_fhir_new (const char                *base_url,
                           CachetCredentialsProvider *credentials)
{
  CachetDirectoryFhir *self = g_object_new (CACHET_TYPE_DIRECTORY_FHIR, NULL);
  const char *url = base_url != NULL ? base_url : CACHET_DIRECTORY_FHIR_DEFAULT_URL;

  /* Without the trailing slash, so that paths join with one. */
  self->base_url = g_strdup (url);
  if (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  if (credentials != NULL)
    self->credentials = g_object_ref (credentials);
  return self;
}

/**
 * cachet_directory_fhir_set_timeout:
 * @seconds: how long a request may wait for the server, 30 by default
 *
 * Applies to the searches started afterwards.
 */
void
cachet_directory_fhir_set_timeout (CachetDirectoryFhir *self,
                                   guint                seconds)
{
  g_return_if_fail (CACHET_IS_DIRECTORY_FHIR (self));
  g_return_if_fail (seconds > 0);

  self->timeout_s = seconds;
}

/* Sleeps, but wakes up on cancellation. */
static gboolean
sleep_cancellable (gint64         microseconds,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GPollFD pollfd;
  int milliseconds = (int) ((microseconds + 999) / 1000);

  if (g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      g_poll (&pollfd, 1, milliseconds);
      g_cancellable_release_fd (cancellable);
    }
  else
    {
      g_usleep ((gulong) microseconds);
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
wait_for_rate (CachetDirectoryFhir  *self,
               GCancellable         *cancellable,
               GError              **error)
{
  for (;;)
    {
      gint64 wait;

      {
        G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->rate_lock);
        gint64 now = g_get_monotonic_time ();

        /* An unused slot holds 0, long past. */
        wait = self->sent_at[self->next_slot] + RATE_WINDOW_US - now;
        if (wait <= 0)
          {
            self->sent_at[self->next_slot] = now;
            self->next_slot = (self->next_slot + 1) % RATE_LIMIT;
            return TRUE;
          }
      }
      if (!sleep_cancellable (wait, cancellable, error))
        return FALSE;
    }
}

/* JSON from the network may have any shape: these read a member only when
 * it has the expected type, where json-glib's getters would warn. */
static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING ?
         json_node_get_string (node) : NULL;
}

static gboolean
member_is_true (JsonObject *object,
                const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN
         && json_node_get_boolean (node);
}

static guint
array_length (JsonArray *array)
{
  return array != NULL ? json_array_get_length (array) : 0;
}

static JsonObject *
array_object (JsonArray *array,
              guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
array_string (JsonArray *array,
              guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING ?
         json_node_get_string (node) : NULL;
}

/* The strings of an array, joined; "" when there are none. */
static char *
join_strings (JsonArray  *array,
              const char *separator)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < array_length (array); i++)
    {
      const char *text = array_string (array, i);

      if (text == NULL || text[0] == '\0')
        continue;
      if (joined->len > 0)
        g_string_append (joined, separator);
      g_string_append (joined, text);
    }
  return g_string_free (joined, FALSE);
}

/* The extension of @url among the extensions of @object. */
static JsonObject *
find_extension (JsonObject *object,
                const char *url)
{
  JsonArray *extensions = member_array (object, "extension");

  for (guint i = 0; i < array_length (extensions); i++)
    {
      JsonObject *extension = array_object (extensions, i);

      if (g_strcmp0 (member_string (extension, "url"), url) == 0)
        return extension;
    }
  return NULL;
}

/* What one search gathers, in its worker thread. */
typedef struct
{
  GListStore *entries;
  /* "Practitioner/<id>" → its entry in @entries: the PractitionerRoles
   * add their mailboxes to it. */
  GHashTable *practitioners;
  /* Mailbox addresses already listed, in lower case. */
  GHashTable *addresses;
} Results;

static void
results_clear (Results *results)
{
  g_clear_object (&results->entries);
  g_clear_pointer (&results->practitioners, g_hash_table_unref);
  g_clear_pointer (&results->addresses, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Results, results_clear)

/* Adds the MSSanté mailboxes among @telecoms to @entry: e-mail telecoms
 * typed MSSANTE, not on the red list. Organisations also list ordinary
 * contact addresses, which are left out. */
static void
add_mailboxes (Results                           *results,
               CachetDirectoryEntry              *entry,
               JsonArray                         *telecoms,
               CachetDirectoryMailboxType         default_type,
               const CachetDirectoryMailboxPlace *place)
{
  for (guint i = 0; i < array_length (telecoms); i++)
    {
      JsonObject *telecom = array_object (telecoms, i);
      const char *address = member_string (telecom, "value");
      JsonObject *email_type = find_extension (telecom, EMAIL_TYPE_URL);
      JsonObject *metadata = find_extension (telecom, MAILBOX_META_URL);
      JsonObject *type_concept = member_object (find_extension (metadata, "type"), "valueCodeableConcept");
      JsonArray *type_codings = member_array (type_concept, "coding");
      const char *service = member_string (find_extension (metadata, "service"), "valueString");
      CachetDirectoryMailboxType type = default_type;
      CachetDirectoryMailboxPlace mailbox_place = *place;
      g_autoptr(CachetDirectoryMailbox) mailbox = NULL;
      g_autofree char *key = NULL;

      if (g_strcmp0 (member_string (telecom, "system"), "email") != 0 || address == NULL
          || strchr (address, '@') == NULL
          || g_strcmp0 (member_string (member_object (email_type, "valueCoding"), "code"), "MSSANTE") != 0
          || member_is_true (find_extension (metadata, "listeRouge"), "valueBoolean"))
        continue;
      if (array_length (type_codings) > 0)
        cachet_directory_mailbox_type_from_code (member_string (array_object (type_codings, 0), "code"), &type);
      key = g_ascii_strdown (address, -1);
      if (!g_hash_table_add (results->addresses, g_steal_pointer (&key)))
        continue;
      if (service != NULL)
        mailbox_place.service = service;
      mailbox = cachet_directory_mailbox_new (address, type, &mailbox_place);
      cachet_directory_entry_add_mailbox (entry, mailbox);
    }
}

static const CachetDirectoryMailboxPlace no_place = { "", "", "", "", "", "" };

static void
add_practitioner (Results    *results,
                  JsonObject *resource,
                  const char *reference)
{
  JsonArray *identifiers = member_array (resource, "identifier");
  JsonArray *names = member_array (resource, "name");
  JsonObject *name = array_length (names) > 0 ? array_object (names, 0) : NULL;
  JsonArray *prefixes = member_array (name, "prefix");
  JsonArray *qualifications = member_array (resource, "qualification");
  g_autofree char *given = join_strings (member_array (name, "given"), " ");
  g_autoptr(CachetDirectoryEntry) entry = NULL;
  CachetDirectoryEntryDetails details = {
    .is_organisation = FALSE,
    .civility = "",
    .first_name = given,
    .last_name = "",
    .profession = "",
    .specialty = "",
    .national_id = "",
    .is_online = TRUE,
  };

  if (g_hash_table_contains (results->practitioners, reference))
    return;
  for (guint i = 0; i < array_length (identifiers); i++)
    {
      JsonObject *identifier = array_object (identifiers, i);

      if (g_strcmp0 (member_string (identifier, "system"), NATIONAL_ID_SYSTEM) == 0
          && member_string (identifier, "value") != NULL)
        details.national_id = member_string (identifier, "value");
    }
  if (member_string (name, "family") != NULL)
    details.last_name = member_string (name, "family");
  if (array_length (prefixes) > 0 && array_string (prefixes, 0) != NULL)
    details.civility = array_string (prefixes, 0);
  for (guint i = 0; i < array_length (qualifications); i++)
    {
      JsonArray *codings = member_array (member_object (array_object (qualifications, i), "code"), "coding");

      for (guint j = 0; j < array_length (codings); j++)
        {
          JsonObject *coding = array_object (codings, j);
          const char *system = member_string (coding, "system");
          const char *display = member_string (coding, "display");

          if (system == NULL || display == NULL)
            continue;
          if (strstr (system, PROFESSION_SYSTEM) != NULL)
            details.profession = display;
          else if (strstr (system, SPECIALTY_SYSTEM) != NULL)
            details.specialty = display;
        }
    }

  entry = cachet_directory_entry_new (&details);
  add_mailboxes (results, entry, member_array (resource, "telecom"), CACHET_DIRECTORY_MAILBOX_PERSONAL, &no_place);
  g_list_store_append (results->entries, entry);
  g_hash_table_insert (results->practitioners, g_strdup (reference), entry);
}

/* A role's mailboxes go to its practitioner, who comes in the same bundle
 * (_include or _revinclude) or came in an earlier one. */
static void
add_practitioner_role (Results    *results,
                       JsonObject *resource)
{
  const char *practitioner = member_string (member_object (resource, "practitioner"), "reference");
  const char *organisation = member_string (member_object (resource, "organization"), "display");
  CachetDirectoryEntry *entry;
  CachetDirectoryMailboxPlace place = no_place;

  if (practitioner == NULL || (entry = g_hash_table_lookup (results->practitioners, practitioner)) == NULL)
    return;
  if (organisation != NULL)
    place.organisation = organisation;
  add_mailboxes (results, entry, member_array (resource, "telecom"), CACHET_DIRECTORY_MAILBOX_PERSONAL, &place);
}

static void
add_organisation (Results    *results,
                  JsonObject *resource)
{
  JsonArray *addresses = member_array (resource, "address");
  JsonObject *address = array_length (addresses) > 0 ? array_object (addresses, 0) : NULL;
  g_autofree char *street = join_strings (member_array (address, "line"), ", ");
  const char *name = member_string (resource, "name");
  const char *postcode = member_string (address, "postalCode");
  const char *city = member_string (address, "city");
  g_autoptr(CachetDirectoryEntry) entry = NULL;
  CachetDirectoryEntryDetails details = {
    .is_organisation = TRUE,
    .civility = "",
    .first_name = "",
    .last_name = name != NULL ? name : "",
    .profession = "",
    .specialty = "",
    .national_id = "",
    .is_online = TRUE,
  };
  CachetDirectoryMailboxPlace place = {
    .organisation = details.last_name,
    .service = "",
    .street = street,
    .postcode = postcode != NULL ? postcode : "",
    .city = city != NULL ? city : "",
    .department = "",
  };

  entry = cachet_directory_entry_new (&details);
  add_mailboxes (results, entry, member_array (resource, "telecom"), CACHET_DIRECTORY_MAILBOX_ORGANISATIONAL, &place);
  g_list_store_append (results->entries, entry);
}

/* Practitioners first, so that the roles of the page find them whatever
 * the order of the entries. */
static void
add_bundle (Results    *results,
            JsonObject *bundle)
{
  JsonArray *entries = member_array (bundle, "entry");

  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < array_length (entries); i++)
        {
          JsonObject *resource = member_object (array_object (entries, i), "resource");
          const char *type = member_string (resource, "resourceType");
          const char *id = member_string (resource, "id");

          if (type == NULL)
            continue;
          if (pass == 0 && g_str_equal (type, "Practitioner") && id != NULL)
            {
              g_autofree char *reference = g_strconcat ("Practitioner/", id, NULL);

              add_practitioner (results, resource, reference);
            }
          else if (pass == 0 && g_str_equal (type, "Organization"))
            {
              add_organisation (results, resource);
            }
          else if (pass == 1 && g_str_equal (type, "PractitionerRole"))
            {
              add_practitioner_role (results, resource);
            }
        }
    }
}

static guint
count_with_mailboxes (GListModel *entries)
{
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (entries, i);

      if (g_list_model_get_n_items (cachet_directory_entry_get_mailboxes (entry)) > 0)
        count++;
    }
  return count;
}

static GBytes *
read_body (GInputStream  *body,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[16 * 1024];
  gssize n;

  while ((n = g_input_stream_read (body, buffer, sizeof buffer, cancellable, error)) > 0)
    {
      if (data->len + (gsize) n > MAX_RESPONSE_BYTES)
        {
          g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_TOO_LARGE,
                       _("The Annuaire Santé sent a page of more than %s: check the address of the service."),
                       "4 MB");
          return NULL;
        }
      g_byte_array_append (data, buffer, (guint) n);
    }
  if (n < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static gboolean
check_status (SoupMessage  *message,
              GError      **error)
{
  guint status = soup_message_get_status (message);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_API_KEY_REFUSED,
                 _("The Annuaire Santé refused the API key (%u %s): check it, or get a new one from "
                   "the ANS portal (portal.api.esante.gouv.fr)."),
                 status, soup_message_get_reason_phrase (message));
  else if (status == TOO_MANY_REQUESTS)
    g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_FAILED,
                 _("The Annuaire Santé is receiving too many requests with this API key: try again in a minute."));
  else
    g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_FAILED,
                 _("The Annuaire Santé answered “%u %s”: try again later, or search offline."),
                 status, soup_message_get_reason_phrase (message));
  return FALSE;
}

/* One page: a Bundle, or an error that says what went wrong. */
static JsonNode *
fetch_bundle (CachetDirectoryFhir  *self,
              SoupSession          *session,
              const char           *url,
              const char           *api_key,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  SoupMessageHeaders *request;
  const char *contents;
  JsonNode *root;
  gsize size;

  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address: give the base address of the FHIR service."), url);
      return NULL;
    }
  request = soup_message_get_request_headers (message);
  soup_message_headers_replace (request, "Accept", "application/fhir+json");
  soup_message_headers_replace (request, API_KEY_HEADER, api_key);

  if (!wait_for_rate (self, cancellable, error))
    return NULL;
  body = soup_session_send (session, message, cancellable, &local_error);
  if (body == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                     _("The Annuaire Santé did not answer within %u s: try again later, or search offline."),
                     self->timeout_s);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!check_status (message, error))
    return NULL;
  if ((data = read_body (body, cancellable, error)) == NULL)
    return NULL;

  contents = g_bytes_get_data (data, &size);
  if (!json_parser_load_from_data (parser, contents, (gssize) size, &local_error))
    {
      g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                   _("The Annuaire Santé sent a page that is not valid JSON (%s): try again later."),
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || g_strcmp0 (member_string (json_node_get_object (root), "resourceType"), "Bundle") != 0)
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                           _("The Annuaire Santé sent a page that is not a FHIR Bundle: check the address "
                             "of the service."));
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/* The next page, when the server gives one under our base address: the
 * API key never goes elsewhere. */
static const char *
next_page (CachetDirectoryFhir *self,
           JsonObject          *bundle)
{
  JsonArray *links = member_array (bundle, "link");

  for (guint i = 0; i < array_length (links); i++)
    {
      JsonObject *link = array_object (links, i);
      const char *url = member_string (link, "url");

      if (g_strcmp0 (member_string (link, "relation"), "next") == 0 && url != NULL
          && g_str_has_prefix (url, self->base_url) && url[strlen (self->base_url)] == '/')
        return url;
    }
  return NULL;
}

/* Follows one FHIR search through its pages. */
static gboolean
run_fhir_search (CachetDirectoryFhir  *self,
                 SoupSession          *session,
                 const char           *first_url,
                 const char           *api_key,
                 guint                 limit,
                 Results              *results,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autofree char *url = g_strdup (first_url);

  for (guint page = 0; page < MAX_PAGES && url != NULL; page++)
    {
      g_autoptr(JsonNode) root = fetch_bundle (self, session, url, api_key, cancellable, error);
      const char *next;

      if (root == NULL)
        return FALSE;
      add_bundle (results, json_node_get_object (root));
      if (count_with_mailboxes (G_LIST_MODEL (results->entries)) >= limit)
        break;
      next = next_page (self, json_node_get_object (root));
      g_free (url);
      url = g_strdup (next);
    }
  return TRUE;
}

static void
add_parameter (GString    *url,
               const char *name,
               const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (url, "&%s=%s", name, escaped);
}

static GString *
search_url (CachetDirectoryFhir *self,
            const char          *resource)
{
  GString *url = g_string_new (self->base_url);

  g_string_append_printf (url, "/%s?_count=" PAGE_SIZE, resource);
  return url;
}

/* The FHIR searches for @text. An address is looked up where the directory
 * keeps mailboxes: a practitioner's own, a role's (with its practitioner),
 * an organisation's. Words are a name, family name first as the directory
 * lists people, or an organisation's name. */
static GPtrArray *
search_urls (CachetDirectoryFhir *self,
             const char          *text)
{
  GPtrArray *urls = g_ptr_array_new_with_free_func (g_free);

  if (strchr (text, '@') != NULL)
    {
      GString *practitioner = search_url (self, "Practitioner");
      GString *role = search_url (self, "PractitionerRole");
      GString *organisation = search_url (self, "Organization");

      add_parameter (practitioner, "mailbox-mss:exact", text);
      add_parameter (role, "mailbox-mss:exact", text);
      add_parameter (role, "_include", "PractitionerRole:practitioner");
      add_parameter (organisation, "mailbox-mss:exact", text);
      g_ptr_array_add (urls, g_string_free (practitioner, FALSE));
      g_ptr_array_add (urls, g_string_free (role, FALSE));
      g_ptr_array_add (urls, g_string_free (organisation, FALSE));
    }
  else
    {
      g_auto(GStrv) words = g_strsplit_set (text, " \t", 2);
      GString *practitioner = search_url (self, "Practitioner");
      GString *organisation = search_url (self, "Organization");
      g_autofree char *given = words[1] != NULL ? g_strstrip (g_strdup (words[1])) : NULL;

      add_parameter (practitioner, "family", words[0]);
      if (given != NULL && given[0] != '\0')
        add_parameter (practitioner, "given", given);
      add_parameter (practitioner, "_revinclude", "PractitionerRole:practitioner");
      add_parameter (organisation, "name", text);
      g_ptr_array_add (urls, g_string_free (practitioner, FALSE));
      g_ptr_array_add (urls, g_string_free (organisation, FALSE));
    }
  return urls;
}

typedef struct
{
  char  *text;
  guint  limit;
  char  *api_key;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->text);
  if (data->api_key != NULL)
    memset (data->api_key, 0, strlen (data->api_key));
  g_free (data->api_key);
  g_free (data);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CachetDirectoryFhir *self = source_object;
  SearchData *data = task_data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", self->timeout_s,
                                                                  "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                                  NULL);
  g_autoptr(GPtrArray) urls = search_urls (self, data->text);
  g_auto(Results) results = {
    .entries = g_list_store_new (CACHET_TYPE_DIRECTORY_ENTRY),
    .practitioners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  g_autoptr(GListStore) found = g_list_store_new (CACHET_TYPE_DIRECTORY_ENTRY);
  GError *error = NULL;

  for (guint i = 0; i < urls->len; i++)
    {
      if (!run_fhir_search (self, session, urls->pdata[i], data->api_key, data->limit, &results,
                            cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      if (count_with_mailboxes (G_LIST_MODEL (results.entries)) >= data->limit)
        break;
    }

  /* Only those with an MSSanté mailbox: a name search also finds people
   * who have none. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (results.entries)); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (results.entries), i);

      if (g_list_model_get_n_items (cachet_directory_entry_get_mailboxes (entry)) > 0
          && g_list_model_get_n_items (G_LIST_MODEL (found)) < data->limit)
        g_list_store_append (found, entry);
    }
  g_task_return_pointer (task, g_steal_pointer (&found), g_object_unref);
}

static void
start_search (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  SearchData *data = g_task_get_task_data (task);

  if (data->api_key == NULL || data->api_key[0] == '\0')
    {
      g_task_return_new_error (task, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NO_API_KEY,
                               _("No API key for the Annuaire Santé: get one from the ANS portal "
                                 "(portal.api.esante.gouv.fr) and give it with "
                                 "“cachet-cli directory search --online --api-key-stdin”."));
      return;
    }
  g_task_run_in_thread (task, search_thread);
}

static void
api_key_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->api_key = cachet_credentials_provider_lookup_finish (CACHET_CREDENTIALS_PROVIDER (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  start_search (g_steal_pointer (&task));
}

/**
 * cachet_directory_fhir_search_async:
 * @text: an MSSanté address, or a name (family name first, then given
 *   names) of a professional or an organisation
 * @limit: how many entries to return at most
 *
 * Searches the Annuaire Santé online. The entries are like those of
 * cachet_directory_search(), each with at least one MSSanté mailbox; the
 * API key is looked up at each search, so that a new one is used at once.
 */
void
cachet_directory_fhir_search_async (CachetDirectoryFhir *self,
                                    const char          *text,
                                    guint                limit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (CACHET_IS_DIRECTORY_FHIR (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (limit > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_directory_fhir_search_async);
  data = g_new0 (SearchData, 1);
  data->text = g_strstrip (g_strdup (text));
  data->limit = limit;
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);

  if (data->text[0] == '\0' || strlen (data->text) > MAX_QUERY_BYTES || !g_utf8_validate (data->text, -1, NULL))
    {
      g_task_return_new_error (task, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_QUERY,
                               _("Type a name or an MSSanté address to search the Annuaire Santé online."));
      return;
    }
  if (self->credentials == NULL)
    {
      start_search (g_steal_pointer (&task));
      return;
    }
  cachet_credentials_provider_lookup_async (self->credentials, CACHET_DIRECTORY_FHIR_ACCOUNT_ID,
                                            CACHET_SECRET_PASSWORD, cancellable, api_key_cb,
                                            g_steal_pointer (&task));
}

/**
 * cachet_directory_fhir_search_finish:
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   #CachetDirectoryEntry, or %NULL with @error set
 */
GListModel *
cachet_directory_fhir_search_finish (CachetDirectoryFhir  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A merged search: the offline results first, then those of the Annuaire
 * Santé online that the offline directory does not have. */
typedef struct
{
  GListStore           *store;
  CachetDirectoryQuery *query;
} MergeData;

static void
merge_data_free (MergeData *data)
{
  g_object_unref (data->store);
  cachet_directory_query_free (data->query);
  g_free (data);
}

static void
merge_online_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MergeData *data = g_task_get_task_data (task);
  g_autoptr(GListModel) online = NULL;
  GError *error = NULL;

  if ((online = cachet_directory_fhir_search_finish (CACHET_DIRECTORY_FHIR (source), result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cachet_directory_entries_append_new (data->store, online);
  g_task_return_boolean (task, TRUE);
}

static void
merge_start_online (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  MergeData *data = g_task_get_task_data (task);
  CachetDirectoryFhir *self;
  GCancellable *cancellable;

  /* Filters alone (a profession, a place) have no online counterpart. */
  if (data->query->text == NULL || g_strstrip (data->query->text)[0] == '\0')
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self = g_task_get_source_object (task);
  cancellable = g_task_get_cancellable (task);
  cachet_directory_fhir_search_async (self, data->query->text, data->query->limit, cancellable,
                                      merge_online_cb, g_steal_pointer (&task));
}

static void
merge_offline_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MergeData *data = g_task_get_task_data (task);
  g_autoptr(GListModel) offline = NULL;
  g_autoptr(GError) error = NULL;

  offline = cachet_directory_search_finish (CACHET_DIRECTORY (source), result, &error);
  /* Without an imported directory, the online search is all there is. */
  if (offline == NULL && !g_error_matches (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NOT_IMPORTED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (offline != NULL)
    cachet_directory_entries_append_new (data->store, offline);
  merge_start_online (g_steal_pointer (&task));
}

/**
 * cachet_directory_fhir_search_merged:
 * @directory: (nullable): the offline directory, or %NULL to search online
 *   only
 * @query: the search; the online half uses its text only (see
 *   cachet_directory_fhir_search_async()), and is skipped without text
 * @callback: called once both halves are done
 *
 * Searches offline and online at once. The model is returned empty; the
 * offline results come into it as soon as they are found, then the online
 * ones (at most @query's limit more) that are not there already: an entry
 * is left out when its national id or one of its addresses is listed. The
 * offline entry wins, as the extract is what the rest of Cachet shows.
 *
 * When the online half fails, the model keeps the offline results and
 * cachet_directory_fhir_search_merged_finish() gives the error.
 *
 * Returns: (transfer full): a #GListModel of #CachetDirectoryEntry
 */
GListModel *
cachet_directory_fhir_search_merged (CachetDirectoryFhir        *self,
                                     CachetDirectory            *directory,
                                     const CachetDirectoryQuery *query,
                                     GCancellable               *cancellable,
                                     GAsyncReadyCallback         callback,
                                     gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  MergeData *data;

  g_return_val_if_fail (CACHET_IS_DIRECTORY_FHIR (self), NULL);
  g_return_val_if_fail (directory == NULL || CACHET_IS_DIRECTORY (directory), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_directory_fhir_search_merged);
  data = g_new0 (MergeData, 1);
  data->store = g_list_store_new (CACHET_TYPE_DIRECTORY_ENTRY);
  data->query = cachet_directory_query_copy (query);
  g_task_set_task_data (task, data, (GDestroyNotify) merge_data_free);

  if (directory != NULL)
    cachet_directory_search_async (directory, query, cancellable, merge_offline_cb, g_object_ref (task));
  else
    merge_start_online (g_object_ref (task));
  return G_LIST_MODEL (g_object_ref (data->store));
}

gboolean
cachet_directory_fhir_search_merged_finish (CachetDirectoryFhir  *self,
                                            GAsyncResult         *result,
                                            GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
