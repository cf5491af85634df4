/* test-message-view.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the real message view, WebKit included, on a real display (Xvfb,
 * see run-in-session.sh). A loopback server stands where a tracker would:
 * showing a message must never reach it.
 */

#include "config.h"

#include <adwaita.h>
#include <dlfcn.h>
#include <string.h>
#include <webkit/webkit.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "cachet-message-view.h"
#include "cachet-test-utils.h"

/* How long refused loads get to show up anyway once the page is loaded:
 * meta refresh, late images, fonts. */
#define GRACE_MS 1500

typedef struct
{
  char     *uri;
  gboolean  finished;
  gboolean  failed;
  char     *mime_type;
  gsize     size;
} Resource;

typedef struct
{
  GtkWindow         *window;
  CachetMessageView *view;
  GSocketService    *tracker;
  guint16            port;
  guint              connections;
  GPtrArray         *resources;
  guint              web_views_made;
  char              *opened_uri;
} Fixture;

/* WebKit may report on a resource after its test is over: each callback
 * holds a reference to what it writes to. */
static void
resource_clear (Resource *resource)
{
  g_free (resource->uri);
  g_free (resource->mime_type);
}

static void
resource_release (gpointer resource)
{
  g_rc_box_release_full (resource, (GDestroyNotify) resource_clear);
}

static void
resource_release_closure (gpointer  resource,
                          GClosure *closure)
{
  resource_release (resource);
}

static gpointer
child (Fixture    *fixture,
       const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (fixture->view), CACHET_TYPE_MESSAGE_VIEW, name);
}

static gboolean
tracker_incoming_cb (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source_object,
                     Fixture           *fixture)
{
  fixture->connections++;
  return FALSE;
}

static void
resource_data_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Resource *resource = user_data;
  g_autofree guchar *data = NULL;

  data = webkit_web_resource_get_data_finish (WEBKIT_WEB_RESOURCE (source), result, &resource->size, NULL);
  resource_release (resource);
}

static void
resource_failed_cb (WebKitWebResource *web_resource,
                    GError            *error,
                    Resource          *resource)
{
  resource->failed = TRUE;
}

static void
resource_finished_cb (WebKitWebResource *web_resource,
                      Resource          *resource)
{
  WebKitURIResponse *response = webkit_web_resource_get_response (web_resource);

  resource->finished = TRUE;
  if (response != NULL)
    resource->mime_type = g_strdup (webkit_uri_response_get_mime_type (response));
  if (!resource->failed)
    webkit_web_resource_get_data (web_resource, NULL, resource_data_cb, g_rc_box_acquire (resource));
}

static void
resource_load_started_cb (WebKitWebView     *web_view,
                          WebKitWebResource *web_resource,
                          WebKitURIRequest  *request,
                          Fixture           *fixture)
{
  Resource *resource = g_rc_box_new0 (Resource);

  resource->uri = g_strdup (webkit_uri_request_get_uri (request));
  g_ptr_array_add (fixture->resources, resource);
  g_signal_connect_data (web_resource, "failed", G_CALLBACK (resource_failed_cb),
                         g_rc_box_acquire (resource), resource_release_closure, 0);
  g_signal_connect_data (web_resource, "finished", G_CALLBACK (resource_finished_cb),
                         g_rc_box_acquire (resource), resource_release_closure, 0);
}

/* The view puts each new page in its overlay before loading anything into
 * it: watch every resource of every page from its first. */
static void
overlay_child_cb (GtkOverlay *overlay,
                  GParamSpec *pspec,
                  Fixture    *fixture)
{
  GtkWidget *web_view = gtk_overlay_get_child (overlay);

  if (web_view == NULL)
    return;
  g_assert_true (WEBKIT_IS_WEB_VIEW (web_view));
  fixture->web_views_made++;
  g_signal_connect (web_view, "resource-load-started", G_CALLBACK (resource_load_started_cb), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  fixture->tracker = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (fixture->tracker), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  fixture->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (fixture->tracker, "incoming", G_CALLBACK (tracker_incoming_cb), fixture);
  g_socket_service_start (fixture->tracker);

  fixture->resources = g_ptr_array_new_with_free_func (resource_release);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 600);
  fixture->view = CACHET_MESSAGE_VIEW (cachet_message_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  g_signal_connect (child (fixture, "html_overlay"), "notify::child", G_CALLBACK (overlay_child_cb), fixture);
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *web_view = gtk_overlay_get_child (child (fixture, "html_overlay"));

  if (web_view != NULL)
    g_signal_handlers_disconnect_by_data (web_view, fixture);
  gtk_window_destroy (fixture->window);
  g_socket_service_stop (fixture->tracker);
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->tracker));
  g_clear_object (&fixture->tracker);
  g_clear_pointer (&fixture->resources, g_ptr_array_unref);
  g_clear_pointer (&fixture->opened_uri, g_free);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_loaded (Fixture *fixture)
{
  return !cachet_message_view_get_loading (fixture->view);
}

static void
iterate_until (gboolean (*done) (Fixture *),
               Fixture  *fixture)
{
  gboolean timed_out = FALSE;
  /* The first page starts WebKit's processes: generous under sanitizers. */
  guint timeout_id = g_timeout_add_seconds (60, timed_out_cb, &timed_out);

  while (!done (fixture) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
}

static void
iterate_for (guint milliseconds)
{
  gboolean timed_out = FALSE;

  g_timeout_add (milliseconds, timed_out_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
show_text (Fixture    *fixture,
           const char *message)
{
  g_autoptr(GBytes) raw = g_bytes_new (message, strlen (message));

  cachet_message_view_show_message (fixture->view, raw);
}

static void
show_and_wait (Fixture    *fixture,
               const char *message)
{
  show_text (fixture, message);
  g_assert_true (cachet_message_view_get_loading (fixture->view));
  iterate_until (is_loaded, fixture);
}

static const char *
visible_page (Fixture    *fixture,
              const char *stack)
{
  return gtk_stack_get_visible_child_name (child (fixture, stack));
}

static const char *
label_text (Fixture    *fixture,
            const char *label)
{
  return gtk_label_get_text (child (fixture, label));
}

static WebKitWebView *
web_view (Fixture *fixture)
{
  return WEBKIT_WEB_VIEW (gtk_overlay_get_child (child (fixture, "html_overlay")));
}

static char *
text_body (Fixture *fixture)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (child (fixture, "text_view"));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char plain_message[] =
  "From: =?UTF-8?Q?Laboratoire_Biom=C3=A9dical_de_l=27Ouest?= <labo@exemple.fr>\r\n"
  "To: Dr Martin <dr.martin@cabinet.fr>, =?ISO-8859-1?Q?Secr=E9tariat?= <secretariat@cabinet.fr>\r\n"
  "Subject: =?UTF-8?Q?R=C3=A9sultats_d=E2=80=99analyses_=E2=80=94_M._L=C3=A9ger?=\r\n"
  "Date: Mon, 19 Jan 2026 11:11:11 +0100\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: text/plain; charset=ISO-8859-1\r\n"
  "Content-Transfer-Encoding: quoted-printable\r\n"
  "\r\n"
  "H=E9moglobine : 13,2 g/dL\r\n"
  "<b>Ceci n'est pas du HTML</b> <img src=3D\"http://127.0.0.1:1/x\">\r\n";

static void
test_plain_text (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *body = NULL;

  show_and_wait (fixture, plain_message);

  g_assert_cmpstr (visible_page (fixture, "stack"), ==, "message");
  g_assert_cmpstr (visible_page (fixture, "body_stack"), ==, "text");
  body = text_body (fixture);
  g_assert_cmpstr (body, ==, "Hémoglobine : 13,2 g/dL\n<b>Ceci n'est pas du HTML</b> <img src=\"http://127.0.0.1:1/x\">\n");
  /* Plain text never reaches WebKit at all. */
  g_assert_null (gtk_overlay_get_child (child (fixture, "html_overlay")));
  g_assert_cmpuint (fixture->web_views_made, ==, 0);
  g_assert_false (gtk_widget_get_visible (child (fixture, "attachments_box")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "truncated_label")));
}

static void
test_headers (Fixture       *fixture,
              gconstpointer  data)
{
  show_and_wait (fixture, plain_message);

  g_assert_cmpstr (label_text (fixture, "subject_label"), ==, "Résultats d’analyses — M. Léger");
  g_assert_cmpstr (label_text (fixture, "from_label"), ==, "Laboratoire Biomédical de l'Ouest <labo@exemple.fr>");
  g_assert_cmpstr (label_text (fixture, "to_label"), ==,
                   "Dr Martin <dr.martin@cabinet.fr>, Secrétariat <secretariat@cabinet.fr>");
  g_assert_true (gtk_widget_get_visible (child (fixture, "to_label")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "cc_label")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "cc_caption")));
  g_assert_true (gtk_widget_get_visible (child (fixture, "date_label")));
  g_assert_nonnull (strstr (label_text (fixture, "date_label"), "2026"));
  /* Shown as text, never as markup. */
  g_assert_false (gtk_label_get_use_markup (child (fixture, "subject_label")));
  g_assert_false (gtk_label_get_use_markup (child (fixture, "from_label")));
  g_assert_true (gtk_label_get_selectable (child (fixture, "from_label")));
}

#define PNG_BASE64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

/* Everything a tracker or an exfiltration gadget (EFAIL) would use, pointed
 * at the loopback tracker, and one image of the message's own. */
static char *
hostile_html_message (guint16     port,
                      const char *title)
{
  return g_strdup_printf (
    "From: Lettre d'information <news@exemple.fr>\r\n"
    "Subject: %s\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/related; boundary=\"rel\"\r\n"
    "\r\n"
    "--rel\r\n"
    "Content-Type: text/html; charset=UTF-8\r\n"
    "\r\n"
    "<!DOCTYPE html><html><head><title>%s</title>\r\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\">\r\n"
    "<meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:%u/refresh\">\r\n"
    "<meta http-equiv=\"x-dns-prefetch-control\" content=\"on\">\r\n"
    "<link rel=\"stylesheet\" href=\"http://127.0.0.1:%u/style.css\">\r\n"
    "<link rel=\"preconnect\" href=\"http://127.0.0.1:%u/\">\r\n"
    "<link rel=\"dns-prefetch\" href=\"http://127.0.0.1:%u/\">\r\n"
    "<link rel=\"prefetch\" href=\"http://127.0.0.1:%u/prefetch\">\r\n"
    "<link rel=\"preload\" as=\"image\" href=\"http://127.0.0.1:%u/preload\">\r\n"
    "<link rel=\"icon\" href=\"http://127.0.0.1:%u/favicon.ico\">\r\n"
    "<style>@import url(http://127.0.0.1:%u/import.css);\r\n"
    "body { background: url(http://127.0.0.1:%u/background.png); }\r\n"
    "@font-face { font-family: f; src: url(http://127.0.0.1:%u/font.woff); } p { font-family: f; }</style>\r\n"
    "<script>document.title = 'script ran';</script>\r\n"
    "<script src=\"http://127.0.0.1:%u/script.js\"></script>\r\n"
    "<base href=\"http://127.0.0.1:%u/\">\r\n"
    "</head><body onload=\"document.title = 'onload ran'\">\r\n"
    "<p>R\xc3\xa9sultats normaux.</p>\r\n"
    "<img src=\"http://127.0.0.1:%u/pixel.gif\" width=\"1\" height=\"1\">\r\n"
    "<img src=\"relative.gif\">\r\n"
    "<img srcset=\"http://127.0.0.1:%u/srcset.png 2x\">\r\n"
    "<img src=\"x\" onerror=\"document.title = 'onerror ran'\">\r\n"
    "<img src=\"cid:logo@labo.example\" alt=\"logo\">\r\n"
    "<img src=\"cid:absent@labo.example\">\r\n"
    "<img src=\"file:///etc/hostname\">\r\n"
    "<iframe src=\"http://127.0.0.1:%u/iframe\"></iframe>\r\n"
    "<iframe srcdoc=\"&lt;img src='http://127.0.0.1:%u/srcdoc'&gt;\"></iframe>\r\n"
    "<object data=\"http://127.0.0.1:%u/object\"></object>\r\n"
    "<embed src=\"http://127.0.0.1:%u/embed\">\r\n"
    "<video poster=\"http://127.0.0.1:%u/poster\" src=\"http://127.0.0.1:%u/video\" autoplay></video>\r\n"
    "<audio src=\"http://127.0.0.1:%u/audio\" autoplay></audio>\r\n"
    "<svg><image href=\"http://127.0.0.1:%u/svg-image\" width=\"10\" height=\"10\"/></svg>\r\n"
    "<form action=\"http://127.0.0.1:%u/form\" method=\"post\"><input name=\"a\" value=\"b\"></form>\r\n"
    "<a href=\"http://127.0.0.1:%u/link\" ping=\"http://127.0.0.1:%u/ping\">lien</a>\r\n"
    "<a href=\"javascript:document.title='link ran'\">js</a>\r\n"
    "</body></html>\r\n"
    "--rel\r\n"
    "Content-Type: image/png\r\n"
    "Content-ID: <logo@labo.example>\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    PNG_BASE64 "\r\n"
    "--rel--\r\n",
    title, title,
    port, port, port, port, port, port, port, port, port, port, port, port, port, port, port,
    port, port, port, port, port, port, port, port, port, port);
}

static const Resource *
find_resource (Fixture    *fixture,
               const char *uri)
{
  for (guint i = 0; i < fixture->resources->len; i++)
    {
      const Resource *resource = g_ptr_array_index (fixture->resources, i);

      if (g_str_equal (resource->uri, uri))
        return resource;
    }
  g_error ("%s was never requested", uri);
}

static void
assert_nothing_left_the_message (Fixture *fixture)
{
  g_assert_cmpuint (fixture->connections, ==, 0);
  for (guint i = 0; i < fixture->resources->len; i++)
    {
      const Resource *resource = g_ptr_array_index (fixture->resources, i);

      /* The document itself, the message's own images and WebKit's own
       * data: pictures (media controls) are all that may load. */
      if (g_str_equal (resource->uri, "about:blank") ||
          g_str_has_prefix (resource->uri, "cid:") ||
          g_str_has_prefix (resource->uri, "data:"))
        continue;
      if (resource->finished && !resource->failed)
        g_error ("%s was loaded", resource->uri);
    }
}

static void
test_html_never_loads_remote_content (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *message = hostile_html_message (fixture->port, "Original title");
  const Resource *logo;

  show_and_wait (fixture, message);
  g_assert_cmpstr (visible_page (fixture, "stack"), ==, "message");
  g_assert_cmpstr (visible_page (fixture, "body_stack"), ==, "html");
  iterate_for (GRACE_MS);

  assert_nothing_left_the_message (fixture);

  /* The message's own image was served, from the message. */
  logo = find_resource (fixture, "cid:logo@labo.example");
  g_assert_true (logo->finished);
  g_assert_false (logo->failed);
  g_assert_cmpstr (logo->mime_type, ==, "image/png");
  g_assert_cmpuint (logo->size, ==, 70);
  g_assert_true (find_resource (fixture, "cid:absent@labo.example")->failed);

  /* No script ran, and the refresh went nowhere. */
  g_assert_cmpstr (webkit_web_view_get_title (web_view (fixture)), ==, "Original title");
  g_assert_cmpstr (webkit_web_view_get_uri (web_view (fixture)), ==, "about:blank");
  g_assert_cmpuint (fixture->web_views_made, ==, 1);
  g_assert_cmpstr (label_text (fixture, "subject_label"), ==, "Original title");
}

static void
test_html_settings_locked_down (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *message = hostile_html_message (fixture->port, "Settings");
  WebKitSettings *settings;
  WebKitWebView *view;

  show_and_wait (fixture, message);
  view = web_view (fixture);
  settings = webkit_web_view_get_settings (view);

  g_assert_false (webkit_settings_get_enable_javascript (settings));
  g_assert_false (webkit_settings_get_enable_javascript_markup (settings));
  g_assert_false (webkit_settings_get_javascript_can_open_windows_automatically (settings));
  g_assert_false (webkit_settings_get_enable_html5_local_storage (settings));
  g_assert_false (webkit_settings_get_enable_html5_database (settings));
  g_assert_false (webkit_settings_get_enable_page_cache (settings));
  g_assert_false (webkit_settings_get_enable_developer_extras (settings));
  g_assert_false (webkit_settings_get_enable_webgl (settings));
  g_assert_false (webkit_settings_get_enable_media (settings));
  g_assert_false (webkit_settings_get_enable_webrtc (settings));
  g_assert_false (webkit_settings_get_enable_fullscreen (settings));
  g_assert_false (webkit_settings_get_allow_file_access_from_file_urls (settings));
  g_assert_false (webkit_settings_get_allow_universal_access_from_file_urls (settings));
  g_assert_true (webkit_network_session_is_ephemeral (webkit_web_view_get_network_session (view)));
#if WEBKIT_CHECK_VERSION (2, 42, 0)
  {
    /* Connections made ahead of any load (a clicked link's host, DNS
     * prefetch), which the content filter does not see. */
    static const char *speculative[] = { "LinkPreconnect", "LinkDNSPrefetch", "LinkPreconnectEarlyHints" };
    g_autoptr(WebKitFeatureList) features = webkit_settings_get_all_features ();
    guint found = 0;

    for (gsize i = 0; i < webkit_feature_list_get_length (features); i++)
      {
        WebKitFeature *feature = webkit_feature_list_get (features, i);

        if (g_strv_contains (speculative, webkit_feature_get_identifier (feature)))
          {
            g_assert_false (webkit_settings_get_feature_enabled (settings, feature));
            found++;
          }
      }
    g_assert_cmpuint (found, ==, G_N_ELEMENTS (speculative));
  }
#endif
  g_assert_nonnull (webkit_web_view_get_default_content_security_policy (view));
  g_assert_nonnull (strstr (webkit_web_view_get_default_content_security_policy (view), "default-src 'none'"));

  /* What the page would have GTK draw for it (a title attribute's tooltip)
   * is dropped: it could spill over Cachet's own widgets. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (view), "Signature vérifiée par Cachet");
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (view)));
  g_assert_false (gtk_widget_get_has_tooltip (GTK_WIDGET (view)));
}

static void
test_attachment_names_neutralised (Fixture       *fixture,
                                   gconstpointer  data)
{
  static const char *expected[] = { "facturefdp.exe", "ab c .pdf", "passwd", "Unnamed attachment" };
  GtkWidget *flow_child;
  guint count = 0;

  show_and_wait (fixture,
    "Subject: pieces jointes\r\n"
    "Content-Type: multipart/mixed; boundary=b\r\n"
    "\r\n"
    "--b\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "voir pieces jointes\r\n"
    "--b\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''facture%E2%80%AEfdp.exe\r\n"
    "\r\n"
    "MZ\r\n"
    "--b\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''a%01b%09c%0D%0A.pdf\r\n"
    "\r\n"
    "%PDF\r\n"
    "--b\r\n"
    "Content-Type: text/plain; name=\"../../../etc/passwd\"\r\n"
    "\r\n"
    "root\r\n"
    "--b\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "x\r\n"
    "--b--\r\n");

  g_assert_true (gtk_widget_get_visible (child (fixture, "attachments_box")));
  for (flow_child = gtk_widget_get_first_child (child (fixture, "attachments_flow"));
       flow_child != NULL;
       flow_child = gtk_widget_get_next_sibling (flow_child))
    {
      GtkWidget *box = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (flow_child));
      GtkWidget *name = gtk_widget_get_next_sibling (gtk_widget_get_first_child (box));
      GtkWidget *size = gtk_widget_get_next_sibling (name);
      const char *tooltip = gtk_widget_get_tooltip_text (box);

      g_assert_cmpuint (count, <, G_N_ELEMENTS (expected));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (name)), ==, expected[count]);
      g_assert_cmpstr (tooltip, ==, expected[count]);
      g_assert_false (gtk_label_get_use_markup (GTK_LABEL (name)));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (size)), !=, "");
      count++;
    }
  g_assert_cmpuint (count, ==, G_N_ELEMENTS (expected));
}

static const char attachments_message[] =
  "Subject: Compte rendu\r\n"
  "Content-Type: multipart/mixed; boundary=b\r\n"
  "\r\n"
  "--b\r\n"
  "Content-Type: text/plain\r\n"
  "\r\n"
  "Ci-joint le compte rendu.\r\n"
  "--b\r\n"
  "Content-Type: application/pdf\r\n"
  "Content-Disposition: attachment; filename=\"compte-rendu.pdf\"\r\n"
  "Content-Transfer-Encoding: base64\r\n"
  "\r\n"
  "JVBERi0xLjQKUsOpc3VsdGF0cwo=\r\n"
  "--b\r\n"
  "Content-Type: application/octet-stream\r\n"
  "Content-Disposition: attachment; filename=\"maj.exe\"\r\n"
  "\r\n"
  "MZ\r\n"
  "--b--\r\n";

/* The decoded PDF above. */
static const char attached_pdf[] = "%PDF-1.4\nRésultats\n";

static GtkWidget *
attachment_box (Fixture *fixture,
                int      index)
{
  GtkFlowBoxChild *flow_child = gtk_flow_box_get_child_at_index (child (fixture, "attachments_flow"), index);

  g_assert_nonnull (flow_child);
  return gtk_flow_box_child_get_child (flow_child);
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  gpointer newest = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        newest = window;
    }
  return newest;
}

static gboolean
error_dialog_shown (Fixture *fixture)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
chooser_gone (Fixture *fixture)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL;
}

static gboolean
chooser_shown (Fixture *fixture)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static void
test_attachment_drag_gives_a_file (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(GdkContentProvider) content = NULL;
  g_autoptr(GBytes) dragged = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "cachet", "open", NULL);
  g_autofree char *path = NULL;
  GtkDragSource *source = NULL;
  GSList *files;

  show_and_wait (fixture, attachments_message);
  controllers = gtk_widget_observe_controllers (attachment_box (fixture, 0));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && source == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DRAG_SOURCE (controller))
        source = GTK_DRAG_SOURCE (controller);
    }
  g_assert_nonnull (source);

  /* The file manager gets a real file, holding the attachment's bytes. */
  g_signal_emit_by_name (source, "prepare", 1.0, 1.0, &content);
  g_assert_nonnull (content);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  files = gdk_file_list_get_files (g_value_get_boxed (&value));
  g_assert_cmpuint (g_slist_length (files), ==, 1);
  path = g_file_get_path (files->data);
  g_assert_true (g_str_has_prefix (path, cache));
  g_assert_true (g_str_has_suffix (path, "/compte-rendu.pdf"));
  dragged = g_file_load_bytes (files->data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (dragged, NULL), g_bytes_get_size (dragged), attached_pdf, strlen (attached_pdf));
  g_slist_free (files);
}

static void
test_attachment_program_not_opened (Fixture       *fixture,
                                    gconstpointer  data)
{
  AdwMessageDialog *dialog;

  show_and_wait (fixture, attachments_message);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "attachment.open", "u", 1);
  iterate_until (error_dialog_shown, fixture);

  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cannot Open “maj.exe”");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Save it instead"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Writing where the user chose is not driven here: GTK's fallback chooser
 * answers a scripted "Save" only after checks of its own. */
static void
test_attachment_save_suggests_safe_name (Fixture       *fixture,
                                         gconstpointer  data)
{
  GtkFileChooser *chooser;

  show_and_wait (fixture, attachments_message);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "attachment.save", "u", 0);
  iterate_until (chooser_shown, fixture);

  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  g_assert_cmpstr (gtk_file_chooser_get_current_name (chooser), ==, "compte-rendu.pdf");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  iterate_until (chooser_gone, fixture);
}

static void
test_malformed_shows_error (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GString) bomb = g_string_new ("Subject: bomb\r\n");

  cachet_message_view_show_message (fixture->view, empty);
  iterate_until (is_loaded, fixture);
  g_assert_cmpstr (visible_page (fixture, "stack"), ==, "error");
  g_assert_true (g_str_has_prefix (adw_status_page_get_description (child (fixture, "error_page")),
                                   "The message is empty."));

  /* Hostile but readable: shown, bounded, no crash. */
  for (int i = 0; i < 3000; i++)
    g_string_append_printf (bomb, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i);
  show_and_wait (fixture, bomb->str);
  g_assert_cmpstr (visible_page (fixture, "stack"), ==, "message");
  g_assert_cmpstr (label_text (fixture, "subject_label"), ==, "bomb");
}

static void
test_protected_and_empty (Fixture       *fixture,
                          gconstpointer  data)
{
  show_and_wait (fixture,
    "Subject: chiffre\r\n"
    "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "MIAGCSqGSIb3DQEHA6CA\r\n");
  g_assert_cmpstr (visible_page (fixture, "body_stack"), ==, "notice");
  g_assert_cmpstr (adw_status_page_get_title (child (fixture, "notice_page")), ==, "Protected Message");
  g_assert_false (gtk_widget_get_visible (child (fixture, "attachments_box")));

  show_and_wait (fixture,
    "Content-Type: application/pdf; name=seul.pdf\r\n"
    "\r\n"
    "%PDF\r\n");
  g_assert_cmpstr (visible_page (fixture, "body_stack"), ==, "notice");
  g_assert_cmpstr (label_text (fixture, "subject_label"), ==, "(No Subject)");
  g_assert_true (gtk_widget_get_visible (child (fixture, "attachments_box")));
}

static gboolean
has_web_view (Fixture *fixture)
{
  return gtk_overlay_get_child (child (fixture, "html_overlay")) != NULL;
}

static void
test_second_message_while_loading (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *first = hostile_html_message (fixture->port, "First");
  g_autofree char *second = hostile_html_message (fixture->port, "Second");
  g_autofree char *body = NULL;

  /* Replaced while still being parsed. */
  show_text (fixture, first);
  show_and_wait (fixture, plain_message);
  iterate_for (GRACE_MS);
  g_assert_cmpstr (visible_page (fixture, "body_stack"), ==, "text");
  g_assert_cmpstr (label_text (fixture, "subject_label"), ==, "Résultats d’analyses — M. Léger");
  g_assert_false (has_web_view (fixture));
  body = text_body (fixture);
  g_assert_true (g_str_has_prefix (body, "Hémoglobine"));

  /* Replaced while its page is loading. */
  show_text (fixture, first);
  iterate_until (has_web_view, fixture);
  show_and_wait (fixture, second);
  iterate_for (GRACE_MS);
  g_assert_cmpstr (label_text (fixture, "subject_label"), ==, "Second");
  g_assert_cmpstr (webkit_web_view_get_title (web_view (fixture)), ==, "Second");
  g_assert_false (cachet_message_view_get_loading (fixture->view));

  /* Cleared while loading. */
  show_text (fixture, first);
  cachet_message_view_clear (fixture->view);
  g_assert_false (cachet_message_view_get_loading (fixture->view));
  g_assert_cmpstr (visible_page (fixture, "stack"), ==, "empty");
  iterate_for (GRACE_MS);
  g_assert_cmpstr (visible_page (fixture, "stack"), ==, "empty");
  g_assert_false (has_web_view (fixture));

  assert_nothing_left_the_message (fixture);
}

#ifdef GDK_WINDOWING_X11
/* A pointer moved and clicked the way a user's is, through the XTEST
 * extension of the X server; libXtst is loaded at run time, so that the test
 * skips where it is missing rather than failing to build. */
typedef int (*FakeMotionFunc) (Display      *display,
                               int           screen,
                               int           x,
                               int           y,
                               unsigned long delay);
typedef int (*FakeButtonFunc) (Display      *display,
                               unsigned int  button,
                               Bool          is_press,
                               unsigned long delay);

static gboolean
link_shown (Fixture *fixture)
{
  return gtk_widget_get_visible (child (fixture, "link_box"));
}

static gboolean
open_link_cb (CachetMessageView *view,
              const char        *uri,
              Fixture           *fixture)
{
  g_free (fixture->opened_uri);
  fixture->opened_uri = g_strdup (uri);
  /* Handled: the default handler would start a browser. */
  return TRUE;
}

static gboolean
link_opened (Fixture *fixture)
{
  return fixture->opened_uri != NULL;
}

static void
test_link_click_goes_outside_only (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *link = g_strdup_printf ("http://127.0.0.1:%u/clicked", fixture->port);
  g_autofree char *message = g_strdup_printf (
    "Subject: lien\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<html><head><title>Lien</title><style>body { margin: 0 }</style></head><body>"
    "<a href=\"%s\" ping=\"http://127.0.0.1:%u/ping\""
    " style=\"display: block; height: 200px; font-size: 48px\">Vos résultats</a>"
    "</body></html>\r\n", link, fixture->port);
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (fixture->window));
  void *xtst = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_LOCAL);
  FakeMotionFunc fake_motion;
  FakeButtonFunc fake_button;
  double x, y;

  if (xtst == NULL || !GDK_IS_X11_DISPLAY (display))
    {
      g_test_skip ("No XTEST: libXtst.so.6 or an X11 display is missing");
      return;
    }
  fake_motion = (FakeMotionFunc) dlsym (xtst, "XTestFakeMotionEvent");
  fake_button = (FakeButtonFunc) dlsym (xtst, "XTestFakeButtonEvent");
  g_assert_nonnull (fake_motion);
  g_assert_nonnull (fake_button);

  g_signal_connect (fixture->view, "open-link", G_CALLBACK (open_link_cb), fixture);
  show_and_wait (fixture, message);
  iterate_for (GRACE_MS);

  /* Without a window manager the window sits at the origin of the screen. */
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (web_view (fixture)), GTK_WIDGET (fixture->window),
                                                   60, 60, &x, &y));
  fake_motion (gdk_x11_display_get_xdisplay (display), -1, (int) x, (int) y, 0);
  gdk_display_flush (display);
  iterate_until (link_shown, fixture);
  /* The real target, in Cachet's own widget. */
  g_assert_cmpstr (gtk_label_get_text (child (fixture, "link_label")), ==, link);

  fake_button (gdk_x11_display_get_xdisplay (display), 1, True, 0);
  fake_button (gdk_x11_display_get_xdisplay (display), 1, False, 0);
  gdk_display_flush (display);
  iterate_until (link_opened, fixture);
  g_assert_cmpstr (fixture->opened_uri, ==, link);
  iterate_for (GRACE_MS);

  /* Handed to the desktop, and nothing else: no navigation, no ping, no
   * connection opened ahead of time to the link's host. */
  g_assert_cmpstr (webkit_web_view_get_uri (web_view (fixture)), ==, "about:blank");
  g_assert_cmpstr (webkit_web_view_get_title (web_view (fixture)), ==, "Lien");
  assert_nothing_left_the_message (fixture);
}
#endif

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  /* Like GTK_A11Y=none for GTK: WebKit's web process would otherwise start
   * an accessibility bus of its own, whose registry writes to our stdout. */
  g_setenv ("WEBKIT_A11Y_BUS_ADDRESS", "", TRUE);
  gtk_init ();
  adw_init ();

  g_test_add ("/gui/message-view/plain-text", Fixture, NULL,
              fixture_set_up, test_plain_text, fixture_tear_down);
  g_test_add ("/gui/message-view/headers", Fixture, NULL,
              fixture_set_up, test_headers, fixture_tear_down);
  g_test_add ("/gui/message-view/html-never-loads-remote-content", Fixture, NULL,
              fixture_set_up, test_html_never_loads_remote_content, fixture_tear_down);
  g_test_add ("/gui/message-view/html-settings-locked-down", Fixture, NULL,
              fixture_set_up, test_html_settings_locked_down, fixture_tear_down);
  g_test_add ("/gui/message-view/attachment-names-neutralised", Fixture, NULL,
              fixture_set_up, test_attachment_names_neutralised, fixture_tear_down);
  g_test_add ("/gui/message-view/attachment-drag-gives-a-file", Fixture, NULL,
              fixture_set_up, test_attachment_drag_gives_a_file, fixture_tear_down);
  g_test_add ("/gui/message-view/attachment-program-not-opened", Fixture, NULL,
              fixture_set_up, test_attachment_program_not_opened, fixture_tear_down);
  g_test_add ("/gui/message-view/malformed-shows-error", Fixture, NULL,
              fixture_set_up, test_malformed_shows_error, fixture_tear_down);
  g_test_add ("/gui/message-view/protected-and-empty", Fixture, NULL,
              fixture_set_up, test_protected_and_empty, fixture_tear_down);
#ifdef GDK_WINDOWING_X11
  g_test_add ("/gui/message-view/link-click-goes-outside-only", Fixture, NULL,
              fixture_set_up, test_link_click_goes_outside_only, fixture_tear_down);
#endif
  g_test_add ("/gui/message-view/second-message-while-loading", Fixture, NULL,
              fixture_set_up, test_second_message_while_loading, fixture_tear_down);
  /* Last: after GTK's file chooser has been on screen, the synthetic pointer
   * events of link-click-goes-outside-only no longer reach the page. */
  g_test_add ("/gui/message-view/attachment-save-suggests-safe-name", Fixture, NULL,
              fixture_set_up, test_attachment_save_suggests_safe_name, fixture_tear_down);

  return g_test_run ();
}
