/* directory-test-servers.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "directory-test-servers.h"

/* The web servers the directory tests talk to: each listens on loopback
 * and answers in a thread of its own. */

static gpointer
run_http (gpointer data)
{
  DirectoryTestHttp *http = data;

  g_main_context_push_thread_default (http->context);
  g_main_loop_run (http->loop);
  g_main_context_pop_thread_default (http->context);
  return NULL;
}

/* Returns the root address, with its slash. */
static char *
http_start (DirectoryTestHttp  *http,
            const char         *path,
            SoupServerCallback  handler,
            gpointer            user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  char *root;

  http->context = g_main_context_new ();
  http->loop = g_main_loop_new (http->context, FALSE);

  /* The server listens on the context its thread runs. */
  g_main_context_push_thread_default (http->context);
  http->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (http->server, path, handler, user_data, NULL);
  soup_server_listen_local (http->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_main_context_pop_thread_default (http->context);
  g_assert_no_error (error);

  uris = soup_server_get_uris (http->server);
  g_assert_nonnull (uris);
  root = g_uri_to_string (uris->data);
  http->thread = g_thread_new ("test-http", run_http, http);
  return root;
}

static gboolean
quit_http (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
http_stop (DirectoryTestHttp *http)
{
  g_autoptr(GSource) quit = g_idle_source_new ();

  /* From within the loop: a quit before the thread runs it would be lost. */
  g_source_set_callback (quit, quit_http, http->loop, NULL);
  g_source_attach (quit, http->context);
  g_thread_join (http->thread);
  g_clear_object (&http->server);
  g_main_loop_unref (http->loop);
  g_main_context_unref (http->context);
}

/* The FHIR API ------------------------------------------------------------ */

#define EMAIL_TYPE     "{\"url\": \"https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type\"," \
                       " \"valueCoding\": {\"system\": \"https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie\"," \
                       " \"code\": \"%s\"}}"
#define MAILBOX_META   "{\"url\": \"https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata\"," \
                       " \"extension\": [{\"url\": \"type\", \"valueCodeableConcept\": {\"coding\": [{\"system\": " \
                       "\"https://mos.esante.gouv.fr/NOS/TRE_R257-TypeBAL/FHIR/TRE-R257-TypeBAL\", \"code\": \"%s\"}]}}," \
                       " {\"url\": \"service\", \"valueString\": \"%s\"}, {\"url\": \"listeRouge\", \"valueBoolean\": %s}]}"


/* A telecom that is an MSSanté mailbox, with its metadata. */
static void
append_mailbox (GString    *json,
                const char *address,
                const char *type,
                const char *listed_red)
{
  g_string_append_printf (json, "{\"system\": \"email\", \"value\": \"%s\", \"extension\": [", address);
  g_string_append_printf (json, EMAIL_TYPE, "MSSANTE");
  g_string_append (json, ", ");
  g_string_append_printf (json, MAILBOX_META, type, "Service de test", listed_red);
  g_string_append (json, "]}");
}

static void
append_practitioner (GString    *json,
                     const char *id,
                     const char *national_id,
                     const char *family,
                     const char *given,
                     const char *address)
{
  g_string_append_printf (json,
                          "{\"fullUrl\": \"https://example.invalid/Practitioner/%s\", \"search\": {\"mode\": \"match\"},"
                          " \"resource\": {\"resourceType\": \"Practitioner\", \"id\": \"%s\","
                          " \"identifier\": [{\"type\": {\"coding\": [{\"system\": "
                          "\"https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203\", \"code\": \"IDNPS\"}]},"
                          " \"system\": \"urn:oid:1.2.250.1.71.4.2.1\", \"value\": \"%s\"}],"
                          " \"name\": [{\"family\": \"%s\", \"given\": [\"%s\"], \"prefix\": [\"DR\"]}],"
                          " \"qualification\": [{\"code\": {\"coding\": [{\"system\": "
                          "\"https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante\","
                          " \"code\": \"10\", \"display\": \"Médecin\"}]}}],"
                          " \"telecom\": [",
                          id, id, national_id, family, given);
  if (address != NULL)
    {
      append_mailbox (json, address, "PER", "false");
      g_string_append (json, ", ");
    }
  /* An ordinary address typed otherwise: not an MSSanté mailbox. */
  g_string_append_printf (json, "{\"system\": \"email\", \"value\": \"%s.%s@example.invalid\", \"extension\": [",
                          given, family);
  g_string_append_printf (json, EMAIL_TYPE, "APICRYPT");
  g_string_append (json, "]}]}}");
}

static void
append_role (GString    *json,
             const char *practitioner_id,
             const char *address)
{
  g_string_append_printf (json,
                          "{\"search\": {\"mode\": \"match\"}, \"resource\": {\"resourceType\": \"PractitionerRole\","
                          " \"id\": \"role-%s\", \"practitioner\": {\"reference\": \"Practitioner/%s\"},"
                          " \"organization\": {\"reference\": \"Organization/org-1\", \"display\": \"Centre de test\"},"
                          " \"telecom\": [",
                          practitioner_id, practitioner_id);
  append_mailbox (json, address, "PER", "false");
  g_string_append (json, "]}}");
}

static void
append_organisation (GString    *json,
                     const char *address)
{
  g_string_append (json,
                   "{\"search\": {\"mode\": \"match\"}, \"resource\": {\"resourceType\": \"Organization\","
                   " \"id\": \"org-1\", \"name\": \"Centre de test\", \"address\": [{\"line\": [\"1 rue de l'Essai\"],"
                   " \"postalCode\": \"75001\", \"city\": \"Paris\"}], \"telecom\": [");
  append_mailbox (json, address, "ORG", "false");
  /* The contact address of the structure, not typed: not a mailbox. */
  g_string_append (json, ", {\"system\": \"email\", \"value\": \"accueil@centre.example.invalid\"}, ");
  /* On the red list: never shown. */
  append_mailbox (json, "secret@centre.test.mssante.fr", "ORG", "true");
  g_string_append (json, "]}}");
}

/* The bundle for one request of DIRECTORY_TEST_FHIR_DIRECTORY: the name search on pages
 * 1 to 3 (two people each, a role for the first, someone without a
 * mailbox), the organisation, the search by address (a role and its
 * practitioner). */
static char *
directory_bundle (DirectoryTestFhirServer *server,
                  const char              *path,
                  GHashTable              *query)
{
  const char *page = query != NULL ? g_hash_table_lookup (query, "page") : NULL;
  const char *mailbox = query != NULL ? g_hash_table_lookup (query, "mailbox-mss:exact") : NULL;
  GString *json = g_string_new ("{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"link\": [");
  int number = page != NULL ? atoi (page) : 1;

  if (g_str_has_suffix (path, "/Practitioner") && mailbox == NULL && number < 3)
    g_string_append_printf (json, "{\"relation\": \"next\", \"url\": \"%sPractitioner?page=%d\"}",
                            server->base_url, number + 1);
  g_string_append (json, "], \"entry\": [");
  if (g_str_has_suffix (path, "/Practitioner") && mailbox == NULL)
    {
      g_autofree char *first = g_strdup_printf ("p%d-a", number);
      g_autofree char *address = g_strdup_printf ("dupont.p%d@test.mssante.fr", number);
      g_autofree char *first_id = g_strdup_printf ("8100000099%02d", number);
      g_autofree char *second_id = g_strdup_printf ("81000000%03d", number);

      /* The role before its practitioner, as _revinclude may place it. */
      if (number == 1)
        {
          append_role (json, first, "dupont.role@hopital.test.mssante.fr");
          g_string_append (json, ", ");
        }
      append_practitioner (json, first, number == 1 && server->duplicate_id != NULL ? server->duplicate_id
                                                                                      : first_id,
                           "Dupont", "Anne", address);
      g_string_append (json, ", ");
      append_practitioner (json, second_id, second_id, "Dupont", "Marc", NULL);
    }
  else if (g_str_has_suffix (path, "/Organization") && mailbox == NULL)
    {
      append_organisation (json, server->duplicate_address != NULL ? server->duplicate_address
                                                                  : "secretariat@centre.test.mssante.fr");
    }
  else if (g_str_has_suffix (path, "/PractitionerRole") && g_strcmp0 (mailbox, "dupont.role@hopital.test.mssante.fr") == 0)
    {
      append_role (json, "p1-a", mailbox);
      g_string_append (json, ", ");
      append_practitioner (json, "p1-a", "810000009901", "Dupont", "Anne", NULL);
    }
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}

static void
handle_fhir_request (SoupServer        *soup_server,
                     SoupServerMessage *message,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  DirectoryTestFhirServer *server = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (message);
  const char *api_key = soup_message_headers_get_one (request, "ESANTE-API-KEY");
  GUri *uri = soup_server_message_get_uri (message);
  gint64 now = g_get_monotonic_time ();
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);
  char *body;

  g_array_append_val (server->arrivals, now);
  g_ptr_array_add (server->api_keys, g_strdup (api_key));
  g_ptr_array_add (server->queries, g_strconcat (path, "?", g_uri_get_query (uri), NULL));

  switch (server->mode)
    {
    case DIRECTORY_TEST_FHIR_SILENT:
      soup_server_message_pause (message);
      return;
    case DIRECTORY_TEST_FHIR_REFUSED:
      soup_server_message_set_status (message, SOUP_STATUS_UNAUTHORIZED, NULL);
      return;
    case DIRECTORY_TEST_FHIR_MALFORMED:
      body = g_strdup ("{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": ");
      break;
    case DIRECTORY_TEST_FHIR_ENDLESS:
      body = g_strdup_printf ("{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"link\": "
                              "[{\"relation\": \"next\", \"url\": \"%s%s?page=%u\"}], \"entry\": []}",
                              server->base_url, path + 1, server->arrivals->len);
      break;
    case DIRECTORY_TEST_FHIR_DIRECTORY:
    default:
      body = directory_bundle (server, path, query);
      break;
    }
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/fhir+json", SOUP_MEMORY_TAKE, body, strlen (body));
}

void
directory_test_fhir_server_start (DirectoryTestFhirServer *server)
{
  g_autofree char *root = NULL;

  g_mutex_init (&server->lock);
  server->mode = DIRECTORY_TEST_FHIR_DIRECTORY;
  server->arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  server->api_keys = g_ptr_array_new_with_free_func (g_free);
  server->queries = g_ptr_array_new_with_free_func (g_free);
  root = http_start (&server->http, "/fhir/v2", handle_fhir_request, server);
  server->base_url = g_strconcat (root, "fhir/v2/", NULL);
}

void
directory_test_fhir_server_stop (DirectoryTestFhirServer *server)
{
  http_stop (&server->http);
  g_array_unref (server->arrivals);
  g_ptr_array_unref (server->api_keys);
  g_ptr_array_unref (server->queries);
  g_free (server->duplicate_id);
  g_free (server->duplicate_address);
  g_free (server->base_url);
  g_mutex_clear (&server->lock);
}

void
directory_test_fhir_server_set_mode (DirectoryTestFhirServer *server,
                                     DirectoryTestFhirMode    mode)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  server->mode = mode;
}

/* From now on, the first person of the name search has @national_id, and
 * the organisation @address: entries of the offline directory. */
void
directory_test_fhir_server_set_duplicates (DirectoryTestFhirServer *server,
                                           const char              *national_id,
                                           const char              *address)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  g_free (server->duplicate_id);
  server->duplicate_id = g_strdup (national_id);
  g_free (server->duplicate_address);
  server->duplicate_address = g_strdup (address);
}

guint
directory_test_fhir_server_count_requests (DirectoryTestFhirServer *server)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  return server->arrivals->len;
}

/* The extract ------------------------------------------------------------- */

static void
handle_extract_request (SoupServer        *soup_server,
                        SoupServerMessage *message,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  DirectoryTestExtractServer *server = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (message);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (message);
  const char *if_none_match = soup_message_headers_get_one (request, "If-None-Match");
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  server->requests++;
  g_free (server->if_none_match);
  server->if_none_match = g_strdup (if_none_match);

  if (server->status != SOUP_STATUS_OK)
    {
      soup_server_message_set_status (message, server->status, NULL);
      return;
    }
  soup_message_headers_replace (response, "ETag", server->etag);
  if (g_strcmp0 (if_none_match, server->etag) == 0)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_message_headers_replace (response, "Content-Disposition", "attachment; filename=" DIRECTORY_TEST_EXTRACT_NAME);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/zip", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (server->body, NULL), g_bytes_get_size (server->body));
}

/* Serves @body with the ETag "v1". */
void
directory_test_extract_server_start (DirectoryTestExtractServer *server,
                                     GBytes                     *body)
{
  g_autofree char *root = NULL;

  g_mutex_init (&server->lock);
  server->body = g_bytes_ref (body);
  server->etag = g_strdup ("\"v1\"");
  server->status = SOUP_STATUS_OK;
  root = http_start (&server->http, NULL, handle_extract_request, server);
  server->url = g_strconcat (root, "extraction", NULL);
}

void
directory_test_extract_server_stop (DirectoryTestExtractServer *server)
{
  http_stop (&server->http);
  g_bytes_unref (server->body);
  g_free (server->etag);
  g_free (server->url);
  g_free (server->if_none_match);
  g_mutex_clear (&server->lock);
}

void
directory_test_extract_server_serve (DirectoryTestExtractServer *server,
                                     GBytes                     *body,
                                     const char                 *etag,
                                     guint                       status)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  g_bytes_unref (server->body);
  server->body = g_bytes_ref (body);
  g_free (server->etag);
  server->etag = g_strdup (etag);
  server->status = status;
}

/* What the last request sent as If-None-Match, and how many came. */
char *
directory_test_extract_server_dup_if_none_match (DirectoryTestExtractServer *server,
                                                 guint                      *requests)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  *requests = server->requests;
  return g_strdup (server->if_none_match);
}
