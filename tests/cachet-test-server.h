/* cachet-test-server.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Peers: tests that need a program or a server skip without it, except under
 * CI=true, where a missing peer is a failure. */
void              cachet_test_peer_missing                      (const char *format,
                                                                 ...) G_GNUC_PRINTF (1, 2);
gboolean          cachet_test_require_program                   (const char *program);

/* Waiting for asynchronous results on the thread-default main context, with a
 * deadline. */
void              cachet_test_result_cb                         (GObject      *source,
                                                                 GAsyncResult *result,
                                                                 gpointer      user_data);
GAsyncResult     *cachet_test_wait_result                       (GAsyncResult **result);

/**
 * CachetTestPki:
 * @ca_file: the test CA (PEM)
 * @other_ca_file: a second CA that issued nothing the servers use
 * @server_cert: issued by @ca_file for localhost and 127.0.0.1
 * @server_key: its key
 * @expired_cert: the same names, expired in 2020
 * @expired_key: its key
 * @not_yet_valid_cert: the same names, valid from 2090
 * @not_yet_valid_key: its key
 * @wrong_host_cert: issued by @ca_file for other.example.org only
 * @wrong_host_key: its key
 * @client_cert: a client certificate issued by @ca_file (PEM)
 * @client_key: its key (PEM)
 * @client_p12: the same certificate with its key and @ca_file, as PKCS #12
 *   protected by @client_p12_passphrase
 * @client_p12_passphrase: the passphrase of @client_p12
 * @client_p12_without_key: the same certificate as PKCS #12, without the key
 *
 * Certificates made at test time by OpenSSL, in the test's own home.
 */
typedef struct
{
  char *ca_file;
  char *other_ca_file;
  char *server_cert;
  char *server_key;
  char *expired_cert;
  char *expired_key;
  char *not_yet_valid_cert;
  char *not_yet_valid_key;
  char *wrong_host_cert;
  char *wrong_host_key;
  char *client_cert;
  char *client_key;
  char *client_p12;
  const char *client_p12_passphrase;
  char *client_p12_without_key;
} CachetTestPki;

const CachetTestPki *cachet_test_pki_get                        (void);

#define CACHET_TYPE_TEST_SERVER (cachet_test_server_get_type ())

G_DECLARE_FINAL_TYPE (CachetTestServer, cachet_test_server, CACHET, TEST_SERVER, GObject)

CachetTestServer *cachet_test_server_new                        (void);
guint16           cachet_test_server_get_port                   (CachetTestServer *self);
char             *cachet_test_server_get_uri                    (CachetTestServer *self,
                                                                 const char       *scheme);
void              cachet_test_server_set_certificate            (CachetTestServer *self,
                                                                 const char       *cert_file,
                                                                 const char       *key_file);
void              cachet_test_server_require_client_certificate (CachetTestServer *self,
                                                                 const char       *ca_file);

void              cachet_test_server_send                       (CachetTestServer *self,
                                                                 const char       *line);
void              cachet_test_server_send_raw                   (CachetTestServer *self,
                                                                 const char       *data,
                                                                 gssize            length);
void              cachet_test_server_expect                     (CachetTestServer *self,
                                                                 const char       *line);
void              cachet_test_server_expect_glob                (CachetTestServer *self,
                                                                 const char       *pattern);
void              cachet_test_server_start_tls                  (CachetTestServer *self);
void              cachet_test_server_expect_tls_failure         (CachetTestServer *self);
void              cachet_test_server_delay                      (CachetTestServer *self,
                                                                 guint             delay_ms);
void              cachet_test_server_stall                      (CachetTestServer *self);
void              cachet_test_server_expect_disconnect          (CachetTestServer *self);
void              cachet_test_server_close                      (CachetTestServer *self);

void              cachet_test_server_run_until_waiting          (CachetTestServer *self);
void              cachet_test_server_assert_done                (CachetTestServer *self);
const char * const *cachet_test_server_get_client_tag_letters   (CachetTestServer *self);

G_END_DECLS
