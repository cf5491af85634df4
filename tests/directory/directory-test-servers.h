/* directory-test-servers.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A local web server on a thread of its own, so that a test may block (on
 * cachet-cli, on a synchronous call) while it answers. */
typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *server;
} DirectoryTestHttp;

typedef enum
{
  DIRECTORY_TEST_FHIR_DIRECTORY,  /* synthetic people, the name search on 3 pages */
  DIRECTORY_TEST_FHIR_ENDLESS,    /* empty pages, each with a next one */
  DIRECTORY_TEST_FHIR_SILENT,     /* never answers */
  DIRECTORY_TEST_FHIR_MALFORMED,  /* JSON cut in the middle */
  DIRECTORY_TEST_FHIR_REFUSED,    /* 401, as the gateway answers a wrong key */
} DirectoryTestFhirMode;

/* The Annuaire Santé FHIR API, with bundles shaped as in its implementation
 * guide. The fields after the lock change under it; read them once the
 * searches are over. */
typedef struct
{
  DirectoryTestHttp      http;
  /* With the slash, so that a resource may be appended. */
  char                  *base_url;

  GMutex                 lock;
  DirectoryTestFhirMode  mode;
  char                  *duplicate_id;       /* a national id of the offline directory, served on page 1 */
  char                  *duplicate_address;  /* one of its addresses, served as an organisation's */
  GArray                *arrivals;           /* gint64, monotonic, one per request */
  GPtrArray             *api_keys;
  GPtrArray             *queries;            /* the path and query of each request */
} DirectoryTestFhirServer;

void  directory_test_fhir_server_start          (DirectoryTestFhirServer *server);
void  directory_test_fhir_server_stop           (DirectoryTestFhirServer *server);
void  directory_test_fhir_server_set_mode       (DirectoryTestFhirServer *server,
                                                 DirectoryTestFhirMode    mode);
void  directory_test_fhir_server_set_duplicates (DirectoryTestFhirServer *server,
                                                 const char              *national_id,
                                                 const char              *address);
guint directory_test_fhir_server_count_requests (DirectoryTestFhirServer *server);

/* The name the extract server gives its file, and the date it means. */
#define DIRECTORY_TEST_EXTRACT_NAME "Extraction_Correspondance_MSSante_202611290400.zip"
#define DIRECTORY_TEST_EXTRACT_STAMP "202611290400"

/* The publisher of the extract: a zip named in Content-Disposition, an
 * ETag, 304 to a conditional request for the same ETag. */
typedef struct
{
  DirectoryTestHttp  http;
  char              *url;

  GMutex             lock;
  GBytes            *body;
  char              *etag;
  guint              status;
  guint              requests;
  char              *if_none_match;
} DirectoryTestExtractServer;

void  directory_test_extract_server_start           (DirectoryTestExtractServer *server,
                                                     GBytes                     *body);
void  directory_test_extract_server_stop            (DirectoryTestExtractServer *server);
void  directory_test_extract_server_serve           (DirectoryTestExtractServer *server,
                                                     GBytes                     *body,
                                                     const char                 *etag,
                                                     guint                       status);
char *directory_test_extract_server_dup_if_none_match (DirectoryTestExtractServer *server,
                                                       guint                      *requests);

G_END_DECLS
