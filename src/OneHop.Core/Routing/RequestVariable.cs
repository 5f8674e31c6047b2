namespace OneHop.Core.Routing;

/// <summary>The parts of a request a <see cref="RequestTemplate"/> can name, after the nginx variables users write.</summary>
internal enum RequestVariable
{
    /// <summary><c>$scheme</c>, <c>$pass_access_scheme</c>: http or https.</summary>
    Scheme,

    /// <summary><c>$host</c>: the host name, lower case, without the port.</summary>
    Host,

    /// <summary><c>$http_host</c>, <c>$best_http_host</c>: the Host header as sent, port included.</summary>
    HttpHost,

    /// <summary><c>$request_uri</c>: the path and query as sent.</summary>
    RequestUri,

    /// <summary><c>$escaped_request_uri</c>: <c>$request_uri</c> escaped to fit in a query parameter.</summary>
    EscapedRequestUri,

    /// <summary><c>$uri</c>: the decoded path without the query.</summary>
    Uri,

    /// <summary><c>$http_NAME</c>: the request header NAME (underscores for dashes, any case), all its values joined by commas.</summary>
    Header,

    /// <summary><c>$cookie_NAME</c>: the value of the cookie NAME as sent (not decoded), the name compared ignoring case.</summary>
    Cookie,

    /// <summary><c>$arg_NAME</c>: the query parameter NAME's first value as sent (not decoded), the name compared ignoring case.</summary>
    QueryArgument,

    /// <summary><c>$remote_user</c>: the user name of a Basic Authorization header, whether or not the route checks it.</summary>
    RemoteUser,

    /// <summary><c>$remote_addr</c>: the client's address (a trusted proxy's X-Forwarded-For already applied).</summary>
    RemoteAddress,

    /// <summary><c>$request_method</c>: GET, POST...</summary>
    RequestMethod,
}
